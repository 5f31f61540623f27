#!/usr/bin/env bash
# An acknowledged write survives a crash: CreateRole returns, the server is killed with SIGKILL at once (no shutdown
# hook runs), and after a restart the role is there. Repeated, so that a lucky flush cannot pass for durability.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

aws=/usr/bin/aws
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
endpoint="http://127.0.0.1:$port"
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "e2e/durability: FAILED: $*" >&2
    cat "$work/server.log" >&2 || true
    exit 1
}

start_server() {
    # The launcher execs java, so this pid is the server's own.
    ./opensts serve --data-dir "$work/data" --listen "127.0.0.1:$port" >>"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 120); do
        curl -fsS "$endpoint/healthz" >/dev/null 2>&1 && return 0
        kill -0 "$server_pid" 2>/dev/null || fail "the server exited"
        sleep 0.5
    done
    fail "the server did not become ready"
}

export AWS_CONFIG_FILE=/dev/null AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
admin() { AWS_SHARED_CREDENTIALS_FILE="$work/data/admin-credentials" "$aws" --endpoint-url "$endpoint" "$@"; }
trust='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}'

start_server
for round in 1 2 3; do
    admin iam create-role --role-name "durable-$round" --assume-role-policy-document "$trust" >/dev/null \
        || fail "create-role durable-$round"
    kill -9 "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    start_server
    admin iam get-role --role-name "durable-$round" >/dev/null || fail "durable-$round was lost by SIGKILL"
done
echo "e2e/durability: ok (3 roles survived SIGKILL right after CreateRole)"
