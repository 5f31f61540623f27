#!/usr/bin/env bash
# docs/credentials.md's agent, run as a user runs it: `opensts agent` assumes the demo role with the admin's keys and
# serves it on an IMDSv2 endpoint and a container credentials endpoint; then the AWS CLI v2 and boto3, with nothing
# configured but the endpoint variables, call get-caller-identity as the role. Four clients, one AssumeRole. The IMDS
# refusals (no token, bad TTL, X-Forwarded-For) and the container token check are checked with curl.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

e2e_name=agent
source e2e/lib/node.bash
source e2e/lib/python.bash

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_server --bootstrap examples/quickstart.yaml
role=arn:aws:iam::123456789012:role/demo
expected="arn:aws:sts::123456789012:assumed-role/demo/agent-e2e"
imds_port="$(free_port)"
container_port="$(free_port)"
imds="http://127.0.0.1:$imds_port"
# With the slash, as the agent prints it: the AWS CLI appends "latest/api/token" to the endpoint as it is.
imds_endpoint="$imds/"
container_uri="http://127.0.0.1:$container_port/v1/credentials"
# The token file has no line break at the end: the SDKs send its content as the Authorization header as it is.
head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$work/container-token"
chmod 600 "$work/container-token"

AWS_SHARED_CREDENTIALS_FILE="$work/data/admin-credentials" ./opensts agent --role-arn "$role" \
    --role-session-name agent-e2e --endpoint-url "$endpoint" \
    --imds-listen "127.0.0.1:$imds_port" \
    --container-listen "127.0.0.1:$container_port" --container-token-file "$work/container-token" \
    >"$work/agent.log" 2>&1 &
agent_pid=$!
background_pids+=("$agent_pid")
for _ in $(seq 1 120); do
    curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "$imds/latest/api/token" >/dev/null 2>&1 && break
    kill -0 "$agent_pid" 2>/dev/null || { cat "$work/agent.log" >&2; fail "the agent exited"; }
    sleep 0.5
done
grep -q "export AWS_EC2_METADATA_SERVICE_ENDPOINT=$imds_endpoint" "$work/agent.log" \
    || { cat "$work/agent.log" >&2; fail "the agent did not print the IMDS endpoint"; }

# ---- IMDS as EC2 answers it
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
[ "$(status "$imds/latest/meta-data/iam/security-credentials/")" = 401 ] || fail "IMDSv1 GET was not refused"
[ "$(status -X PUT "$imds/latest/api/token")" = 400 ] || fail "a token PUT without a TTL was not 400"
[ "$(status -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 21601' "$imds/latest/api/token")" = 400 ] \
    || fail "a TTL of 21601 was not 400"
[ "$(status -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' -H 'X-Forwarded-For: 203.0.113.9' \
    "$imds/latest/api/token")" = 403 ] || fail "a forwarded token PUT was not refused"
token="$(curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "$imds/latest/api/token")"
[ "$(curl -fsS -H "X-aws-ec2-metadata-token: $token" "$imds/latest/meta-data/iam/security-credentials/")" = demo ] \
    || fail "the role list is not 'demo'"
curl -fsS -H "X-aws-ec2-metadata-token: $token" "$imds/latest/meta-data/iam/security-credentials/demo" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["Code"]=="Success" and d["Type"]=="AWS-HMAC" \
        and d["AccessKeyId"].startswith("ASIA") and d["Expiration"].endswith("Z"), d.keys()' \
    || fail "the IMDS credentials are not in EC2's shape"

# ---- the container endpoint checks its token
[ "$(status "$container_uri")" = 401 ] || fail "the container endpoint answered without Authorization"
[ "$(status -H 'Authorization: wrong' "$container_uri")" = 403 ] || fail "a wrong container token was accepted"

# ---- the AWS CLI v2 and boto3, configured only by the endpoint variables
clean_env=(env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE
    HOME="$work/home" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_DEFAULT_REGION=us-east-1)
mkdir -p "$work/home"

arn="$("${clean_env[@]}" AWS_EC2_METADATA_SERVICE_ENDPOINT="$imds_endpoint" \
    "$aws" sts get-caller-identity --endpoint-url "$endpoint" --query Arn --output text)" \
    || fail "the AWS CLI v2 through the IMDS endpoint failed"
[ "$arn" = "$expected" ] || fail "AWS CLI v2 via IMDS: unexpected ARN: $arn"

# This AWS CLI v2 may predate AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE; the token's value works for every version.
arn="$("${clean_env[@]}" AWS_CONTAINER_CREDENTIALS_FULL_URI="$container_uri" \
    AWS_CONTAINER_AUTHORIZATION_TOKEN="$(cat "$work/container-token")" \
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$work/container-token" \
    "$aws" sts get-caller-identity --endpoint-url "$endpoint" --query Arn --output text)" \
    || fail "the AWS CLI v2 through the container endpoint failed"
[ "$arn" = "$expected" ] || fail "AWS CLI v2 via the container endpoint: unexpected ARN: $arn"

py="$(boto3_python)" || fail "no python3 here has boto3 with botocore 1.31 or later (./run-tests installs one)"
boto3_arn() {
    "${clean_env[@]}" "$@" AWS_ENDPOINT_URL_STS="$endpoint" "$py" -c '
import boto3
print(boto3.client("sts").get_caller_identity()["Arn"])'
}
arn="$(boto3_arn AWS_EC2_METADATA_SERVICE_ENDPOINT="$imds_endpoint")" || fail "boto3 through the IMDS endpoint failed"
[ "$arn" = "$expected" ] || fail "boto3 via IMDS: unexpected ARN: $arn"
arn="$(boto3_arn AWS_CONTAINER_CREDENTIALS_FULL_URI="$container_uri" \
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$work/container-token")" \
    || fail "boto3 through the container endpoint failed"
[ "$arn" = "$expected" ] || fail "boto3 via the container endpoint: unexpected ARN: $arn"

assumed="$(grep -c '"roleSessionName":"agent-e2e"' "$work/data/audit.log" || true)"
[ "$assumed" = 1 ] || fail "expected one AssumeRole for the four clients, saw $assumed"
secret="$(awk -F' = ' '/aws_secret_access_key/ {print $2}' "$work/data/admin-credentials")"
if grep -q -- "$secret" "$work/agent.log" "$work/server.log"; then fail "a secret was printed"; fi
echo "e2e/$e2e_name: ok (AWS CLI v2 and boto3 via IMDS and the container endpoint: $expected)"
