#!/usr/bin/env bash
# Load on a live server, reported as ratios to the same server's /healthz in the same run (docs/PERFORMANCE.md).
# Replays presigned GET requests with wrk (Debian package `wrk`): GetCallerIdentity with a long-term key (signature
# verification, cached store read), GetCallerIdentity with temporary credentials (session-token open, no store read)
# and AssumeRole (trust evaluation, minting).
#   bench/server-load.sh [seconds per run, default 10] [connections, default 16]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
duration="${1:-10}"
connections="${2:-16}"
command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)" >&2; exit 1; }

work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
endpoint="http://127.0.0.1:$port"
# One principal at full speed is far beyond the default rate limit: the load measures the server, so throttling is off.
./opensts serve --data-dir "$work/data" --listen "127.0.0.1:$port" --bootstrap examples/quickstart.yaml \
    --rate-limit 0 >"$work/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null; wait $server_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fsS "$endpoint/healthz" >/dev/null 2>&1 && break; sleep 0.5; done

# Presigned URLs stay valid for 15 minutes: long enough for every run below. They are signed for GET, the method
# wrk replays (botocore signs for the model's POST unless told otherwise).
python3 - "$endpoint" "$work/data/admin-credentials" "$work" <<'PYTHON'
import boto3, configparser, sys
endpoint, credentials, work = sys.argv[1:4]
config = configparser.ConfigParser()
config.read(credentials)
admin = dict(aws_access_key_id=config["default"]["aws_access_key_id"],
             aws_secret_access_key=config["default"]["aws_secret_access_key"])
sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1", **admin)
session = sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/demo", RoleSessionName="bench")["Credentials"]
temporary = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1",
                         aws_access_key_id=session["AccessKeyId"], aws_secret_access_key=session["SecretAccessKey"],
                         aws_session_token=session["SessionToken"])
urls = {
    "caller-identity-long-term-key": sts.generate_presigned_url("get_caller_identity", ExpiresIn=900, HttpMethod="GET"),
    "caller-identity-session": temporary.generate_presigned_url("get_caller_identity", ExpiresIn=900, HttpMethod="GET"),
    "assume-role": sts.generate_presigned_url("assume_role", ExpiresIn=900, HttpMethod="GET", Params={
        "RoleArn": "arn:aws:iam::123456789012:role/demo", "RoleSessionName": "bench"}),
}
for name, url in urls.items():
    open(f"{work}/{name}.url", "w").write(url)
PYTHON

run() {
    wrk -t 2 -c "$connections" -d "${duration}s" "$1" | awk '/Requests\/sec/ {print $2}'
}
run "$endpoint/healthz" >/dev/null  # warm-up
baseline="$(run "$endpoint/healthz")"
printf '%-32s %12s %8s\n' "request" "req/s" "ratio"
printf '%-32s %12.0f %8.2f\n' "healthz (baseline)" "$baseline" 1
for name in caller-identity-long-term-key caller-identity-session assume-role; do
    wrk -t 2 -c "$connections" -d 5s "$(cat "$work/$name.url")" >/dev/null  # warm-up: let the JIT compile this path
    rate="$(run "$(cat "$work/$name.url")")"
    printf '%-32s %12.0f %8.2f\n' "$name" "$rate" "$(echo "$rate / $baseline" | bc -l)"
done
errors="$(grep -c '"errorCode"' "$work/data/audit.log" || true)"
echo "audit events with an error code: $errors (expected 0)"
