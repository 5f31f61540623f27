#!/usr/bin/env bash
# The S3 gateway as a new user runs it: a real S3 server that OpenSTS did not write (started here, in-memory, with a
# key only the gateway holds), `./opensts serve --s3-gateway … --s3-upstream … --s3-upstream-credentials …` in front
# of it, a role assumed with the AWS CLI v2 and the three variables exported; then `aws s3 ls`, `aws s3 cp` up and down
# (a 20 MB file as a multipart upload), `aws s3 presign` + curl, with the AWS CLI v2 and with the AWS CLI v1 (whose
# botocore sends CRC32 checksums as aws-chunked trailers by default): allowed where the role allows, AccessDenied where
# it does not, narrowed by a session policy, refused once the role's older sessions are revoked; and boto3 with S3
# Signature Version 2 and a session token.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

e2e_name=s3
source e2e/lib/node.bash
source e2e/lib/python.bash

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
s3_port="$(free_port)"
gateway_port="$(free_port)"
gateway="http://127.0.0.1:$gateway_port"

# ---- the upstream S3 server, a process of its own with its own key
./opensts --version >/dev/null # builds the jar now if the sources changed, not while the waits below run
# Its classpath from a pom of its own, which names no module of the project: nothing needs to be installed first.
mvn -B -q -f e2e/upstream-s3/pom.xml dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$work/upstream.classpath" >/dev/null || fail "cannot resolve the upstream server's classpath"
upstream_key=UPSTREAME2EKEY000001
upstream_secret="upstream-e2e-secret-$RANDOM$RANDOM"
cat >"$work/upstream.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$s3_port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$upstream_key
s3proxy.credential=$upstream_secret
s3proxy.ignore-unknown-headers=true
jclouds.provider=transient
jclouds.identity=unused
jclouds.credential=unused
EOF
java -cp "$(cat "$work/upstream.classpath")" org.gaul.s3proxy.Main --properties "$work/upstream.properties" \
    >"$work/upstream.log" 2>&1 &
background_pids+=($!)
for _ in $(seq 1 120); do
    curl -s -o /dev/null "http://127.0.0.1:$s3_port/" && break
    sleep 0.5
done
curl -s -o /dev/null "http://127.0.0.1:$s3_port/" \
    || fail "the upstream S3 server did not start: $(cat "$work/upstream.log")"
(umask 077 && printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$upstream_key" \
    "$upstream_secret" >"$work/upstream-credentials")

# ---- the node with its gateway
cat >"$work/s3.yaml" <<'EOF'
accounts:
  - id: "123456789012"
    roles:
      - name: photos-writer
        trustPolicy:
          Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Principal: {AWS: "arn:aws:iam::123456789012:user/admin"}, Action: sts:AssumeRole}
        policies:
          - name: Photos
            document:
              Version: "2012-10-17"
              Statement:
                - {Effect: Allow, Action: s3:ListAllMyBuckets, Resource: "*"}
                - {Effect: Allow, Action: "s3:*", Resource: ["arn:aws:s3:::photos", "arn:aws:s3:::photos/*"]}
      - name: photos-reader
        trustPolicy:
          Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Principal: {AWS: "arn:aws:iam::123456789012:user/admin"}, Action: sts:AssumeRole}
        policies:
          - name: ReadPhotos
            document:
              Version: "2012-10-17"
              Statement:
                - {Effect: Allow, Action: s3:ListAllMyBuckets, Resource: "*"}
                - {Effect: Allow, Action: s3:ListBucket, Resource: "arn:aws:s3:::photos"}
                - {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::photos/*"}
EOF
start_server --bootstrap "$work/s3.yaml" --s3-gateway "127.0.0.1:$gateway_port" \
    --s3-upstream "http://127.0.0.1:$s3_port" --s3-upstream-credentials "$work/upstream-credentials" \
    --no-s3-upstream-checksum-trailers # this S3 server reads no STREAMING-UNSIGNED-PAYLOAD-TRAILER body
grep -q "S3 gateway at $gateway" "$work/server.log" || fail "the server did not print the gateway's address"

admin s3 mb s3://photos --endpoint-url "$gateway" >/dev/null || fail "admin could not create a bucket"
admin s3 mb s3://private --endpoint-url "$gateway" >/dev/null || fail "admin could not create a second bucket"

# Assumes ROLE with the AWS CLI v2 and exports the three variables, as the quick start does; $1 = role, $2 = an
# optional session policy.
assume() {
    local role="$1" policy="${2:-}"
    unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
    admin sts assume-role --role-arn "arn:aws:iam::123456789012:role/$role" --role-session-name e2e \
        ${policy:+--policy "$policy"} >"$work/creds.json" || fail "assume-role $role failed"
    export AWS_SHARED_CREDENTIALS_FILE=/dev/null
    export AWS_ACCESS_KEY_ID="$(jq -r .Credentials.AccessKeyId "$work/creds.json")"
    export AWS_SECRET_ACCESS_KEY="$(jq -r .Credentials.SecretAccessKey "$work/creds.json")"
    export AWS_SESSION_TOKEN="$(jq -r .Credentials.SessionToken "$work/creds.json")"
}

# Runs an s3 command that must be refused with AccessDenied; $1 = the CLI, the rest its arguments.
expect_denied() {
    local cli="$1"
    shift
    if "$cli" --endpoint-url "$gateway" "$@" >/dev/null 2>"$work/err.txt"; then
        fail "$cli $* was allowed"
    fi
    grep -q "AccessDenied" "$work/err.txt" || fail "$cli $*: not AccessDenied: $(cat "$work/err.txt")"
}

head -c $((20 * 1024 * 1024)) /dev/urandom >"$work/big.bin"
echo "hello through the gateway" >"$work/small.txt"

# ---- AWS CLI v2 with the writer role
assume photos-writer
"$aws" --endpoint-url "$gateway" s3 ls >"$work/ls.txt" || fail "aws s3 ls failed"
grep -q " photos$" "$work/ls.txt" || fail "aws s3 ls does not list photos: $(cat "$work/ls.txt")"
"$aws" --endpoint-url "$gateway" s3 cp "$work/small.txt" s3://photos/small.txt >/dev/null || fail "cp up failed"
"$aws" --endpoint-url "$gateway" s3 cp "$work/big.bin" s3://photos/big.bin >/dev/null || fail "20 MB cp up failed"
"$aws" --endpoint-url "$gateway" s3 cp s3://photos/big.bin "$work/big.down" >/dev/null || fail "20 MB cp down failed"
cmp -s "$work/big.bin" "$work/big.down" || fail "the 20 MB file came back different"
"$aws" --endpoint-url "$gateway" s3 ls s3://photos/ >"$work/ls.txt" || fail "aws s3 ls s3://photos/ failed"
grep -q "20971520 big.bin" "$work/ls.txt" || fail "big.bin is not listed at 20 MB: $(cat "$work/ls.txt")"
expect_denied "$aws" s3 ls s3://private/
expect_denied "$aws" s3 cp "$work/small.txt" s3://private/small.txt

url="$("$aws" --endpoint-url "$gateway" s3 presign s3://photos/small.txt --expires-in 300)" || fail "presign failed"
[ "$(curl -fsS "$url")" = "hello through the gateway" ] || fail "the presigned URL did not return the object"
status="$(curl -s -o /dev/null -w '%{http_code}' "${url/small.txt/big.bin}")"
[ "$status" = 403 ] || fail "a presigned URL for another key answered $status, not 403"

# ---- AWS CLI v2 with the reader role: reads, no writes
assume photos-reader
"$aws" --endpoint-url "$gateway" s3 cp s3://photos/small.txt "$work/small.down" >/dev/null \
    || fail "reader cp down failed"
cmp -s "$work/small.txt" "$work/small.down" || fail "the reader's copy differs"
expect_denied "$aws" s3 cp "$work/small.txt" s3://photos/reader.txt
expect_denied "$aws" s3 rm s3://photos/small.txt

# ---- a session policy narrows the writer role to reading
assume photos-writer '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'
"$aws" --endpoint-url "$gateway" s3 cp s3://photos/small.txt - >/dev/null || fail "the narrowed session could not read"
expect_denied "$aws" s3 cp "$work/small.txt" s3://photos/narrowed.txt

# ---- the AWS CLI v1: botocore's default checksums, sent as aws-chunked trailers
aws1=""
for candidate in $(type -ap aws); do
    [[ "$("$candidate" --version 2>&1)" == aws-cli/1.* ]] && { aws1="$candidate"; break; }
done
[ -n "$aws1" ] || fail "no AWS CLI v1 on PATH"
assume photos-writer
"$aws1" --endpoint-url "$gateway" s3 cp "$work/small.txt" s3://photos/v1/small.txt >/dev/null \
    || fail "CLI v1 cp up failed"
"$aws1" --endpoint-url "$gateway" s3 cp "$work/big.bin" s3://photos/v1/big.bin >/dev/null \
    || fail "CLI v1 20 MB cp up failed"
"$aws1" --endpoint-url "$gateway" s3 cp s3://photos/v1/big.bin "$work/big.v1" >/dev/null \
    || fail "CLI v1 20 MB cp down failed"
cmp -s "$work/big.bin" "$work/big.v1" || fail "the CLI v1's 20 MB file came back different"
expect_denied "$aws1" s3 cp "$work/small.txt" s3://private/v1.txt

# ---- revoking the role's active sessions (`opensts admin revoke-sessions`, the IAM console's way) stops this one
writer_token="$AWS_SESSION_TOKEN"
sleep 1 # aws:TokenIssueTime has whole seconds: the revocation must come after this session's issue
(unset AWS_SESSION_TOKEN
    AWS_ACCESS_KEY_ID="$(awk -F' = ' '/aws_access_key_id/ {print $2}' "$work/data/admin-credentials")" \
    AWS_SECRET_ACCESS_KEY="$(awk -F' = ' '/aws_secret_access_key/ {print $2}' "$work/data/admin-credentials")" \
    ./opensts admin revoke-sessions --role-name photos-writer --endpoint-url "$endpoint") >"$work/revoke.txt" 2>&1 \
    || fail "opensts admin revoke-sessions: $(cat "$work/revoke.txt")"
expect_denied "$aws" s3 ls s3://photos/
sleep 1
assume photos-writer
"$aws" --endpoint-url "$gateway" s3 ls s3://photos/ >/dev/null \
    || fail "a session issued after the revocation was refused"

# ---- a bucket policy lives and dies with its bucket; bucket-level calls and refusals are audited
gateway_admin() {
    (unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
        AWS_SHARED_CREDENTIALS_FILE="$work/data/admin-credentials" "$aws" --endpoint-url "$gateway" "$@")
}
grant='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",
  "Principal":{"AWS":"arn:aws:iam::123456789012:role/photos-reader"},"Resource":"arn:aws:s3:::reborn/*"}]}'
if gateway_admin s3api put-bucket-policy --bucket never-made --policy "${grant//reborn/never-made}" \
    2>"$work/err.txt"; then
    fail "a policy was put on a bucket that does not exist"
fi
grep -q "NoSuchBucket" "$work/err.txt" || fail "put-bucket-policy on no bucket: $(cat "$work/err.txt")"
gateway_admin s3 mb s3://reborn >/dev/null || fail "admin could not create bucket reborn"
gateway_admin s3api put-bucket-policy --bucket reborn --policy "$grant" || fail "put-bucket-policy failed"
gateway_admin s3 rb s3://reborn >/dev/null || fail "admin could not delete bucket reborn"
gateway_admin s3 mb s3://reborn >/dev/null || fail "admin could not create bucket reborn again"
if gateway_admin s3api get-bucket-policy --bucket reborn >/dev/null 2>"$work/err.txt"; then
    fail "a bucket created again under the name inherited the deleted bucket's policy"
fi
grep -q "NoSuchBucketPolicy" "$work/err.txt" || fail "get-bucket-policy of reborn: $(cat "$work/err.txt")"
for event in CreateBucket PutBucketPolicy DeleteBucket GetBucketPolicy; do
    grep -q "\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"$event\"" "$work/data/audit.log" \
        || fail "no $event audit event"
done
# One grep: under pipefail, a `grep -q` that stops reading early fails the pipeline it ends.
grep -q '"eventSource":"s3.amazonaws.com".*"errorCode":"AccessDenied"' "$work/data/audit.log" \
    || fail "no audit event of a refused gateway call"

# ---- boto3 with S3 Signature Version 2 and the session token
py="$(boto3_python)" || fail "no python3 here has boto3 with botocore 1.31 or later (./run-tests installs one)"
GATEWAY="$gateway" "$py" - <<'PYTHON' || fail "boto3 with S3 SigV2 failed"
import os
import boto3
from botocore.config import Config

s3 = boto3.client("s3", endpoint_url=os.environ["GATEWAY"], region_name="us-east-1",
                  config=Config(signature_version="s3", s3={"addressing_style": "path"}))
s3.put_object(Bucket="photos", Key="sigv2/hello.txt", Body=b"signed the old way")
body = s3.get_object(Bucket="photos", Key="sigv2/hello.txt")["Body"].read()
assert body == b"signed the old way", body
# A bucket alone: botocore sends GET /photos and signs /photos/.
keys = [o["Key"] for o in s3.list_objects(Bucket="photos", Prefix="sigv2/")["Contents"]]
assert keys == ["sigv2/hello.txt"], keys
assert s3.list_objects_v2(Bucket="photos", Prefix="sigv2/")["KeyCount"] == 1
try:
    s3.list_objects_v2(Bucket="private")
    raise SystemExit("SigV2 listing of another bucket was allowed")
except s3.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "AccessDenied", e.response
try:
    s3.get_object(Bucket="private", Key="anything")
    raise SystemExit("SigV2 read of another bucket was allowed")
except s3.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "AccessDenied", e.response
PYTHON

for secret in "$upstream_secret" "$writer_token"; do
    if grep -q -- "$secret" "$work/server.log" "$work/data/audit.log"; then fail "a secret was logged"; fi
done
echo "e2e/s3: ok (CLI v2 and v1, 20 MB multipart, presign, session policy, revocation, bucket policy lifecycle," \
    "audit events, boto3 SigV2)"
