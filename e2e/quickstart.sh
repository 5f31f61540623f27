#!/usr/bin/env bash
# The quick start, as a new user runs it: start OpenSTS with the quickstart bootstrap, assume `demo` with the AWS CLI
# v2 and the admin credentials, call get-caller-identity with the returned credentials, and check that the same call
# without the session token, or with a tampered one, is refused with a 403.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

e2e_name=quickstart
source e2e/lib/node.bash

start_server --bootstrap examples/quickstart.yaml

[ "$(stat -c %a "$work/data/admin-credentials")" = 600 ] || fail "admin-credentials is not mode 600"
key_id="$(awk -F' = ' '/aws_access_key_id/ {print $2}' "$work/data/admin-credentials")"
grep -q "$key_id" "$work/server.log" || fail "the server did not print the admin access key id"
secret="$(awk -F' = ' '/aws_secret_access_key/ {print $2}' "$work/data/admin-credentials")"
if grep -q -- "$secret" "$work/server.log" "$work/data/audit.log"; then fail "the admin secret was printed or logged"; fi

AWS_SHARED_CREDENTIALS_FILE="$work/data/admin-credentials" \
    "$aws" --endpoint-url "$endpoint" sts assume-role \
    --role-arn arn:aws:iam::123456789012:role/demo --role-session-name quickstart >"$work/creds.json" \
    || fail "assume-role failed"

export AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID="$(jq -r .Credentials.AccessKeyId "$work/creds.json")"
export AWS_SECRET_ACCESS_KEY="$(jq -r .Credentials.SecretAccessKey "$work/creds.json")"
export AWS_SESSION_TOKEN="$(jq -r .Credentials.SessionToken "$work/creds.json")"
[[ "$AWS_ACCESS_KEY_ID" == ASIA* ]] || fail "the temporary access key id does not start with ASIA"

arn="$("$aws" --endpoint-url "$endpoint" sts get-caller-identity --query Arn --output text)" \
    || fail "get-caller-identity with the session credentials failed"
[ "$arn" = "arn:aws:sts::123456789012:assumed-role/demo/quickstart" ] || fail "unexpected ARN: $arn"

token="$AWS_SESSION_TOKEN"
unset AWS_SESSION_TOKEN
if "$aws" --endpoint-url "$endpoint" sts get-caller-identity >/dev/null 2>"$work/err.txt"; then
    fail "get-caller-identity without the session token succeeded"
fi
grep -q InvalidClientTokenId "$work/err.txt" || fail "without the token: $(cat "$work/err.txt")"

# Flip one character in the middle of the token.
middle=$(( ${#token} / 2 ))
flipped="$(printf '%s' "${token:$middle:1}" | tr 'A-Za-z0-9+/' 'B-Za-zA1-90/+')"
export AWS_SESSION_TOKEN="${token:0:$middle}${flipped}${token:$((middle + 1))}"
if "$aws" --endpoint-url "$endpoint" sts get-caller-identity >/dev/null 2>"$work/err.txt"; then
    fail "get-caller-identity with a tampered session token succeeded"
fi
grep -q InvalidClientTokenId "$work/err.txt" || fail "with a tampered token: $(cat "$work/err.txt")"
status="$(curl -s -o /dev/null -w '%{http_code}' "$endpoint/?Action=GetCallerIdentity&Version=2011-06-15")"
[ "$status" = 403 ] || fail "an unsigned GetCallerIdentity answered $status, not 403"

if grep -q -- "$token" "$work/server.log" "$work/data/audit.log"; then fail "a session token was logged"; fi
echo "e2e/quickstart: ok ($arn)"
