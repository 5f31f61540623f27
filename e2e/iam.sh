#!/usr/bin/env bash
# OpenSTS administered with nothing but the AWS CLI v2 and the admin credentials, as a new user would: create a user,
# its access key, a role trusting that user and an inline role policy; the new user assumes the role; after a restart
# every entity is still there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

e2e_name=iam
source e2e/lib/node.bash

start_server

admin iam create-user --user-name carol --path /team/ >/dev/null || fail "create-user"
admin iam create-access-key --user-name carol >"$work/key.json" || fail "create-access-key"
admin iam create-role --role-name reports --max-session-duration 7200 --assume-role-policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/team/carol"},"Action":"sts:AssumeRole"}]}' \
    >/dev/null || fail "create-role"
admin iam put-role-policy --role-name reports --policy-name read-reports --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}' \
    || fail "put-role-policy"

# The CLI decodes the URL-encoded policy document IAM returns.
[ "$(admin iam get-role-policy --role-name reports --policy-name read-reports \
    --query 'PolicyDocument.Statement[0].Action' --output text)" = "s3:GetObject" ] || fail "get-role-policy"

# carol, with only her new key, assumes the role.
cat >"$work/carol" <<CREDENTIALS
[default]
aws_access_key_id = $(jq -r .AccessKey.AccessKeyId "$work/key.json")
aws_secret_access_key = $(jq -r .AccessKey.SecretAccessKey "$work/key.json")
CREDENTIALS
AWS_SHARED_CREDENTIALS_FILE="$work/carol" "$aws" --endpoint-url "$endpoint" sts assume-role \
    --role-arn arn:aws:iam::123456789012:role/reports --role-session-name carol-reports \
    --duration-seconds 7200 >"$work/session.json" || fail "carol could not assume the role"
arn="$(AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    AWS_ACCESS_KEY_ID="$(jq -r .Credentials.AccessKeyId "$work/session.json")" \
    AWS_SECRET_ACCESS_KEY="$(jq -r .Credentials.SecretAccessKey "$work/session.json")" \
    AWS_SESSION_TOKEN="$(jq -r .Credentials.SessionToken "$work/session.json")" \
    "$aws" --endpoint-url "$endpoint" sts get-caller-identity --query Arn --output text)" || fail "get-caller-identity"
[ "$arn" = "arn:aws:sts::123456789012:assumed-role/reports/carol-reports" ] || fail "unexpected ARN $arn"

# carol has no IAM permissions of her own.
if AWS_SHARED_CREDENTIALS_FILE="$work/carol" "$aws" --endpoint-url "$endpoint" iam list-users \
    >/dev/null 2>"$work/err.txt"; then
    fail "carol could list users without a policy"
fi
grep -q AccessDenied "$work/err.txt" || fail "carol's list-users: $(cat "$work/err.txt")"

# The audit log names carol's role session as CloudTrail does (its issuer, whether MFA was proven), and logs IAM's
# global calls in us-east-1 whatever region the client signed for, even a name that is no region.
admin --region mars-1 iam get-user --user-name carol >/dev/null || fail "get-user signed for mars-1"
grep '"eventName":"GetCallerIdentity"' "$work/data/audit.log" | jq -e -s 'map(select(.userIdentity.type ==
    "AssumedRole"))[0].userIdentity.sessionContext | .sessionIssuer.arn == "arn:aws:iam::123456789012:role/reports"
    and .sessionIssuer.userName == "reports" and .attributes.mfaAuthenticated == "false"' >/dev/null \
    || fail "the role session's audit event has no CloudTrail sessionContext"
grep '"eventSource":"iam.amazonaws.com"' "$work/data/audit.log" | jq -e -s 'length > 0 and
    all(.awsRegion == "us-east-1") and any(.userIdentity.userName == "carol")' >/dev/null \
    || fail "IAM audit events are not in us-east-1, or carol's has no userName"

stop_server
start_server

[ "$(admin iam get-user --user-name carol --query User.Arn --output text)" = \
    "arn:aws:iam::123456789012:user/team/carol" ] || fail "the user is gone after a restart"
[ "$(admin iam get-role --role-name reports --query Role.MaxSessionDuration --output text)" = 7200 ] \
    || fail "the role is gone after a restart"
[ "$(admin iam list-access-keys --user-name carol --query 'length(AccessKeyMetadata)' --output text)" = 1 ] \
    || fail "the access key is gone after a restart"
[ "$(admin iam list-role-policies --role-name reports --query 'PolicyNames[0]' --output text)" = read-reports ] \
    || fail "the role policy is gone after a restart"
AWS_SHARED_CREDENTIALS_FILE="$work/carol" "$aws" --endpoint-url "$endpoint" sts assume-role \
    --role-arn arn:aws:iam::123456789012:role/reports --role-session-name after-restart >/dev/null \
    || fail "carol could not assume the role after a restart"

secret="$(jq -r .AccessKey.SecretAccessKey "$work/key.json")"
if grep -q -- "$secret" "$work/server.log" "$work/data/audit.log"; then fail "a secret access key was logged"; fi
echo "e2e/iam: ok"
