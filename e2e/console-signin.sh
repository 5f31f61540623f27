#!/usr/bin/env bash
# Federated sign-in to the console as the IAM User Guide's identity broker does it: AWS's Python example
# (examples/federation_signin.py, only the endpoint changed) assumes the quick start's role with boto3, exchanges the
# session for a sign-in token at /federation and prints the login URL; curl follows it like a browser (cookie jar),
# lands on the console with the handoff cookie, redeems it at POST /console/session, and the credentials it gets work
# with the AWS CLI. The login URL works once; the handoff works once; neither the secret nor the token is logged.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

e2e_name=console-signin
source e2e/lib/node.bash
source e2e/lib/python.bash
py="$(boto3_python)" || fail "no python3 here has boto3 with botocore 1.31 or later (./run-tests installs one)"
"$py" -c 'import requests' 2>/dev/null || fail "$py has no requests module, which AWS's example uses"

start_server --bootstrap examples/quickstart.yaml

url="$(AWS_ENDPOINT_URL_STS="$endpoint" AWS_SHARED_CREDENTIALS_FILE="$work/data/admin-credentials" \
    OPENSTS_FEDERATION_URL="$endpoint/federation" "$py" examples/federation_signin.py 2>"$work/broker.err")" \
    || fail "the broker example failed: $(cat "$work/broker.err")"
[[ "$url" == "$endpoint/federation?Action=login&"* ]] || fail "unexpected login URL: $url"

# The browser: follow the login URL, keep the cookie, land on the console.
jar="$work/cookies.txt"
curl -sS -c "$jar" -o /dev/null -D "$work/login.headers" -w '%{http_code} %{redirect_url}\n' "$url" \
    >"$work/login.txt" || fail "the login request failed"
read -r status location <"$work/login.txt"
[ "$status" = 302 ] || fail "login answered $status: $(cat "$work/login.headers")"
# The example's Destination is AWS's console home, not this node's console: the login lands on /console/.
[ "$location" = "$endpoint/console/" ] || fail "login redirected to $location"
grep -qi '^set-cookie: opensts-console-handoff=.*HttpOnly; SameSite=Strict' "$work/login.headers" \
    || fail "no HttpOnly SameSite=Strict handoff cookie: $(cat "$work/login.headers")"
status="$(curl -sS -b "$jar" -c "$jar" -o /dev/null -w '%{http_code}' "$location")"
[[ "$status" = 200 || "$status" = 404 ]] || fail "the console answered $status"

# The console page redeems the handoff for the credentials.
curl -sS -b "$jar" -c "$jar" -X POST -o "$work/session.json" -w '%{http_code}' "$endpoint/console/session" \
    >"$work/status.txt" || fail "POST /console/session failed"
[ "$(cat "$work/status.txt")" = 200 ] || fail "POST /console/session answered $(cat "$work/status.txt")"
export AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID="$(jq -r .AccessKeyId "$work/session.json")"
export AWS_SECRET_ACCESS_KEY="$(jq -r .SecretAccessKey "$work/session.json")"
export AWS_SESSION_TOKEN="$(jq -r .SessionToken "$work/session.json")"
jq -e '.Expiration | test("^[0-9-]+T[0-9:]+Z$")' "$work/session.json" >/dev/null || fail "no ISO-8601 Expiration"
arn="$("$aws" --endpoint-url "$endpoint" sts get-caller-identity --query Arn --output text)" \
    || fail "get-caller-identity with the console's credentials failed"
[ "$arn" = "arn:aws:sts::123456789012:assumed-role/demo/AssumeRoleSession" ] || fail "unexpected ARN: $arn"

# Single use: the login URL and the handoff cookie are both spent.
status="$(curl -sS -o /dev/null -w '%{http_code}' "$url")"
[ "$status" = 400 ] || fail "the login URL worked twice (answered $status)"
cookie="$(awk '$6 == "opensts-console-handoff" {print $7}' "$jar")"
[ -z "$cookie" ] || fail "the handoff cookie was not cleared"

if grep -q -- "$AWS_SECRET_ACCESS_KEY" "$work/server.log" "$work/data/audit.log"; then
    fail "the session's secret was logged"
fi
if grep -q -- "$AWS_SESSION_TOKEN" "$work/server.log" "$work/data/audit.log"; then
    fail "the session token was logged"
fi
grep -q '"eventName":"ConsoleLogin"' "$work/data/audit.log" || fail "no ConsoleLogin audit event"
echo "e2e/console-signin: ok ($arn)"
