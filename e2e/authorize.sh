#!/usr/bin/env bash
# The authorization API as a resource service in Python uses it (examples/authorize.py, botocore signing): a role and a
# service user are created with the AWS CLI v2, a client assumes the role with the CLI, signs an S3 GET with the
# session's credentials, and the service asks the node about it with its own credentials. Then revocation: the IAM
# console's call sequence with the AWS CLI (get-role-policy, put-role-policy AWSRevokeOlderSessions) and
# `opensts admin revoke-sessions` each refuse the sessions issued before them, while a session issued after works.
# Last, the same node over HTTPS (--tls-self-signed): the example trusts its CA through AWS_CA_BUNDLE.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

e2e_name=authorize
source e2e/lib/node.bash
source e2e/lib/python.bash
py="$(boto3_python)" || fail "no python3 here has boto3 with botocore 1.31 or later (./run-tests installs one)"

start_server

account=123456789012
statement() { printf '{"Version":"2012-10-17","Statement":[%s]}' "$1"; }
trust="$(statement "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::$account:root\"},
    \"Action\":\"sts:AssumeRole\"}")"
admin iam create-role --role-name reader --assume-role-policy-document "$trust" >/dev/null || fail "create-role failed"
admin iam put-role-policy --role-name reader --policy-name read --policy-document "$(statement '{"Sid":"ReadReports",
    "Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}')" || fail "put-role-policy failed"
# One user for the resource service, allowed to ask the API; one for the client, allowed to assume the role.
credentials="$work/credentials"
: >"$credentials"
for user in storage-service app; do
    admin iam create-user --user-name "$user" >/dev/null || fail "create-user $user failed"
    action="opensts:Authorize"
    [ "$user" = app ] && action="sts:AssumeRole"
    admin iam put-user-policy --user-name "$user" --policy-name permissions --policy-document \
        "$(statement "{\"Effect\":\"Allow\",\"Action\":\"$action\",\"Resource\":\"*\"}")" \
        || fail "put-user-policy $user failed"
    admin iam create-access-key --user-name "$user" >"$work/key.json" || fail "create-access-key $user failed"
    printf '[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$user" \
        "$(jq -r .AccessKey.AccessKeyId "$work/key.json")" "$(jq -r .AccessKey.SecretAccessKey "$work/key.json")" \
        >>"$credentials"
done
export AWS_SHARED_CREDENTIALS_FILE="$credentials"

# The client assumes the role with the AWS CLI; its session becomes profile $1.
assume() {
    "$aws" --endpoint-url "$endpoint" --profile app sts assume-role --role-arn "arn:aws:iam::$account:role/reader" \
        --role-session-name "$1" >"$work/session.json" || fail "assume-role failed"
    printf '[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n' "$1" \
        "$(jq -r .Credentials.AccessKeyId "$work/session.json")" \
        "$(jq -r .Credentials.SecretAccessKey "$work/session.json")" \
        "$(jq -r .Credentials.SessionToken "$work/session.json")" >>"$credentials"
}

# Runs examples/authorize.py for a GET of s3://$2/$3 signed by profile $1; its JSON answer goes to $work/answer.json.
ask() {
    "$py" examples/authorize.py --endpoint-url "$endpoint" --service-profile storage-service \
        --caller-profile "$1" --bucket "$2" --key "$3" >"$work/answer.json" 2>"$work/ask.err" || true
    jq -e . "$work/answer.json" >/dev/null || fail "authorize.py: $(cat "$work/ask.err")"
}

expect() {
    local got
    got="$(jq -r "$1" "$work/answer.json")"
    [ "$got" = "$2" ] || fail "$1 is '$got', not '$2': $(cat "$work/answer.json")"
}

assume first
ask first reports 2026/q1.csv
expect .authenticated true
expect .decision Allow
expect .caller.arn "arn:aws:sts::$account:assumed-role/reader/first"
expect .caller.sessionName first
expect '.reasons[0]' 'Allowed by statement "ReadReports" of iam policy role_reader_read.'

ask first payroll salaries.csv
expect .decision ImplicitDeny
message="$(jq -r .encodedMessage "$work/answer.json")"
decoded="$(admin sts decode-authorization-message --encoded-message "$message" --query DecodedMessage --output text)" \
    || fail "decode-authorization-message failed"
[ "$(jq -r .context.action <<<"$decoded")" = s3:GetObject ] || fail "decoded: $decoded"
[ "$(jq -r .context.resource <<<"$decoded")" = arn:aws:s3:::payroll/salaries.csv ] || fail "decoded: $decoded"

# A client that is not the service cannot ask: the API answers 403 AccessDenied.
if "$py" examples/authorize.py --endpoint-url "$endpoint" --service-profile app --caller-profile first \
    --bucket reports --key k >/dev/null 2>"$work/err.txt"; then
    fail "a caller without opensts:Authorize was answered"
fi
grep -q '403.*AccessDenied' "$work/err.txt" || fail "without opensts:Authorize: $(cat "$work/err.txt")"

# Revocation with the IAM console's call sequence, by the AWS CLI.
if admin iam get-role-policy --role-name reader --policy-name AWSRevokeOlderSessions >/dev/null 2>"$work/err.txt"
then
    fail "a role that was never revoked has AWSRevokeOlderSessions"
fi
grep -q NoSuchEntity "$work/err.txt" || fail "get-role-policy: $(cat "$work/err.txt")"
now="$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"
revoke="{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",
    \"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"$now\"}}}}"
admin iam put-role-policy --role-name reader --policy-name AWSRevokeOlderSessions --policy-document "$revoke" \
    || fail "put-role-policy AWSRevokeOlderSessions failed"
ask first reports 2026/q1.csv
expect .decision ExplicitDeny
assume second
ask second reports 2026/q1.csv
expect .decision Allow

# The same with `opensts admin revoke-sessions`, the credentials in the environment only.
AWS_ACCESS_KEY_ID="$(awk -F' = ' '/aws_access_key_id/ {print $2}' "$work/data/admin-credentials")" \
    AWS_SECRET_ACCESS_KEY="$(awk -F' = ' '/aws_secret_access_key/ {print $2}' "$work/data/admin-credentials")" \
    ./opensts admin revoke-sessions --role-name reader --endpoint-url "$endpoint" >"$work/revoke.txt" 2>&1 \
    || fail "opensts admin revoke-sessions: $(cat "$work/revoke.txt")"
grep -q "replacing the one of an earlier revocation" "$work/revoke.txt" \
    || fail "revoke-sessions: $(cat "$work/revoke.txt")"
ask second reports 2026/q1.csv
expect .decision ExplicitDeny
assume third
ask third reports 2026/q1.csv
expect .decision Allow

# Over HTTPS with the node's own CA (--tls-self-signed): the example trusts it through AWS_CA_BUNDLE, as the AWS CLI
# and SDKs do, and without it refuses the node's certificate.
stop_server
endpoint="https://127.0.0.1:$port"
e2e_cacert="$work/data/tls/ca.pem"
start_server --tls-self-signed
if "$py" examples/authorize.py --endpoint-url "$endpoint" --service-profile storage-service --caller-profile third \
    --bucket reports --key 2026/q1.csv >/dev/null 2>"$work/err.txt"; then
    fail "authorize.py trusted the node's CA without AWS_CA_BUNDLE"
fi
grep -q "CERTIFICATE_VERIFY_FAILED" "$work/err.txt" || fail "without AWS_CA_BUNDLE: $(cat "$work/err.txt")"
export AWS_CA_BUNDLE="$e2e_cacert"
ask third reports 2026/q1.csv
expect .decision Allow
unset AWS_CA_BUNDLE

for token in $(awk -F' = ' '/aws_session_token/ {print $2}' "$credentials"); do
    if grep -q -- "$token" "$work/server.log" "$work/data/audit.log"; then fail "a session token was logged"; fi
done
grep -q '"eventSource":"opensts","eventName":"Authorize"' "$work/data/audit.log" || fail "no Authorize audit event"
echo "e2e/authorize: ok"
