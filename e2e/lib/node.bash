# Shared by the e2e scripts: a scratch directory, a free port, and a node started with ./opensts serve.
# Source it from the project root; set e2e_name first, and e2e_scheme=https for a node that serves HTTPS (then set
# e2e_cacert to the CA file curl is to trust while waiting for it). Defines: work, port, endpoint, server_pid, fail,
# start_server (or launch_server, then await_server), stop_server (kill_server: SIGKILL), background_pids (other
# processes a script starts, ended on exit), and cleans up on exit.

work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
endpoint="${e2e_scheme:-http}://127.0.0.1:$port"
e2e_cacert=""
server_pid=""
background_pids=()

fail() {
    echo "e2e/$e2e_name: FAILED: $*" >&2
    echo "--- server output" >&2
    cat "$work/server.log" >&2 || true
    exit 1
}

# Starts ./opensts serve with the given extra options and waits until /healthz answers. The launcher execs java, so
# $server_pid is the server's own process.
start_server() {
    launch_server "$@"
    await_server
}

# The two halves of start_server, for a script with work to do while the server starts.
launch_server() {
    ./opensts serve --data-dir "$work/data" --listen "127.0.0.1:$port" "$@" >>"$work/server.log" 2>&1 &
    server_pid=$!
}

await_server() {
    for _ in $(seq 1 120); do
        curl -fsS ${e2e_cacert:+--cacert "$e2e_cacert"} "$endpoint/healthz" >/dev/null 2>&1 && return 0
        kill -0 "$server_pid" 2>/dev/null || fail "the server exited"
        sleep 0.5
    done
    fail "the server did not become ready"
}

stop_server() {
    local signal="${1:-TERM}"
    if [ -n "$server_pid" ]; then
        kill "-$signal" "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}

kill_server() {
    stop_server KILL
}

cleanup() {
    stop_server
    local pid
    for pid in "${background_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    [ -n "${E2E_KEEP:-}" ] && echo "e2e: kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

# A clean AWS CLI environment: only the credentials each step means to use.
aws=/usr/bin/aws
export AWS_CONFIG_FILE=/dev/null AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN

# The AWS CLI v2 with the admin credentials the node wrote on its first start.
admin() {
    AWS_SHARED_CREDENTIALS_FILE="$work/data/admin-credentials" "$aws" --endpoint-url "$endpoint" "$@"
}
