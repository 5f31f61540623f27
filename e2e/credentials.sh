#!/usr/bin/env bash
# docs/credentials.md, run as a user runs it: (a) `eval "$(./opensts sts assume-role … --output env)"`, then the AWS
# CLI v2 calls get-caller-identity as the role; (b) an AWS CLI profile whose credential_process is
# `opensts credential-process … --profile base` gets the role for the AWS CLI v2, the AWS CLI v1 (when one is
# installed) and boto3, and the three together cost the node one AssumeRole: the cache (mode 600) serves the rest, as
# it does for four runs started at once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

e2e_name=credentials
source e2e/lib/node.bash
source e2e/lib/python.bash

start_server --bootstrap examples/quickstart.yaml
role=arn:aws:iam::123456789012:role/demo
# Keep the credential cache inside the scratch directory instead of ~/.opensts/cache.
export XDG_CACHE_HOME="$work/cache"

# ---- (a) eval the env output
(
    export AWS_SHARED_CREDENTIALS_FILE="$work/data/admin-credentials"
    eval "$(./opensts sts assume-role --endpoint-url "$endpoint" --role-arn "$role" --role-session-name from-eval \
        --output env)"
    [[ "$AWS_ACCESS_KEY_ID" == ASIA* ]] || fail "eval did not set temporary credentials"
    [ -n "$AWS_CREDENTIAL_EXPIRATION" ] || fail "eval did not set AWS_CREDENTIAL_EXPIRATION"
    export AWS_SHARED_CREDENTIALS_FILE=/dev/null
    arn="$("$aws" sts get-caller-identity --endpoint-url "$endpoint" --query Arn --output text)" \
        || fail "get-caller-identity with the eval'd credentials failed"
    [ "$arn" = "arn:aws:sts::123456789012:assumed-role/demo/from-eval" ] || fail "(a) unexpected ARN: $arn"
) || exit 1

# ---- (b) a credential_process profile
key_id="$(awk -F' = ' '/aws_access_key_id/ {print $2}' "$work/data/admin-credentials")"
secret="$(awk -F' = ' '/aws_secret_access_key/ {print $2}' "$work/data/admin-credentials")"
cat >"$work/credentials" <<INI
[base]
aws_access_key_id = $key_id
aws_secret_access_key = $secret
INI
cat >"$work/config" <<INI
[profile base]
region = us-east-1
endpoint_url = $endpoint

[profile demo]
region = us-east-1
credential_process = $PWD/opensts credential-process --role-arn $role --role-session-name from-process --profile base
INI
export AWS_CONFIG_FILE="$work/config" AWS_SHARED_CREDENTIALS_FILE="$work/credentials"
expected="arn:aws:sts::123456789012:assumed-role/demo/from-process"

arn="$("$aws" --profile demo sts get-caller-identity --endpoint-url "$endpoint" --query Arn --output text)" \
    || fail "the AWS CLI v2 with the credential_process profile failed"
[ "$arn" = "$expected" ] || fail "(b) AWS CLI v2: unexpected ARN: $arn"

v1=""
for candidate in $(type -ap aws); do
    if "$candidate" --version 2>&1 | grep -q '^aws-cli/1\.'; then v1="$candidate"; break; fi
done
if [ -n "$v1" ]; then
    arn="$("$v1" --profile demo sts get-caller-identity --endpoint-url "$endpoint" --query Arn --output text)" \
        || fail "the AWS CLI v1 ($v1) with the credential_process profile failed"
    [ "$arn" = "$expected" ] || fail "(b) AWS CLI v1: unexpected ARN: $arn"
else
    echo "e2e/$e2e_name: no AWS CLI v1 on this machine; v1 not checked" >&2
fi

py="$(boto3_python)" || fail "no python3 here has boto3 with botocore 1.31 or later (./run-tests installs one)"
arn="$(ENDPOINT="$endpoint" "$py" -c '
import os, boto3
sts = boto3.Session(profile_name="demo").client("sts", endpoint_url=os.environ["ENDPOINT"])
print(sts.get_caller_identity()["Arn"])')" || fail "boto3 with the credential_process profile failed"
[ "$arn" = "$expected" ] || fail "(b) boto3: unexpected ARN: $arn"

assumed="$(grep -c '"roleSessionName":"from-process"' "$work/data/audit.log" || true)"
[ "$assumed" = 1 ] || fail "expected one AssumeRole for the three clients (the rest from the cache), saw $assumed"
# Four processes that find no cache entry at once: the lock lets one call STS, the others read its entry.
pids=()
for i in 1 2 3 4; do
    ./opensts credential-process --role-arn "$role" --role-session-name in-parallel --profile base \
        >"$work/parallel-$i.json" 2>"$work/parallel-$i.err" &
    pids+=($!)
done
for pid in "${pids[@]}"; do
    wait "$pid" || fail "a parallel credential-process failed: $(cat "$work"/parallel-*.err)"
done
for i in 2 3 4; do
    cmp -s "$work/parallel-1.json" "$work/parallel-$i.json" || fail "parallel runs printed different credentials"
done
assumed="$(grep -c '"roleSessionName":"in-parallel"' "$work/data/audit.log" || true)"
[ "$assumed" = 1 ] || fail "expected one AssumeRole for four parallel runs, saw $assumed"

for file in "$work/cache/opensts"/*; do
    [ "$(stat -c %a "$file")" = 600 ] || fail "$file is not mode 600"
done
[ "$(stat -c %a "$work/cache/opensts")" = 700 ] || fail "the cache directory is not mode 700"
if grep -q -- "$secret" "$work/server.log" "$work/data/audit.log"; then fail "a secret was logged"; fi
echo "e2e/$e2e_name: ok (eval and credential_process: $expected)"
