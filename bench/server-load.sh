#!/usr/bin/env bash
# Load on a live server, reported as ratios to the same server's /healthz in the same run (docs/PERFORMANCE.md).
# Replays with wrk (Debian package `wrk`) what the AWS SDK for Python sends: SigV4-signed POST requests with a form body
# (the headers and body captured from real calls, the signature valid for the 15 minutes of clock skew the node allows,
# so a run re-signs them at its start) for GetCallerIdentity with a long-term key (cached key lookup), GetCallerIdentity
# with temporary credentials (session token opened, no store read) and AssumeRole (trust and identity policies, a
# session minted and sealed); then the same three as presigned GET requests, the form an SDK uses for a URL.
# Each row: throughput, latency percentiles (wrk's, of a closed loop of N connections), the ratio to /healthz (the
# mean of a /healthz run before and after the rows), and the CPU time the node spent per request.
#   bench/server-load.sh [seconds per run, default 10] [connections, default 16] [more `opensts serve` options...]
#   e.g. bench/server-load.sh 10 16 --audit-fsync none
# OPENSTS_JAVA_OPTS is passed to the node's JVM (e.g. -XX:StartFlightRecording=... to profile a run).
# WARMUP_SECONDS (default 10) is how long each request is replayed before its measured run: on 2 CPUs the JIT takes
# longer than 5 s to compile a signed call's whole path, and a shorter warm-up measures the compiler as much as the node.
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
    --rate-limit 0 "${@:3}" >"$work/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null; wait $server_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fsS "$endpoint/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
# ./opensts execs java: the node's pid is the script's, once it answers.
node_pid="$server_pid"

python3 bench/signed-requests.py "$endpoint" "$work/data/admin-credentials" "$work"

# One wrk run: "req/s p50 p99 p99.9 failed requests" (latencies in µs; failed: non-2xx/3xx and socket errors).
report="$work/report.lua"
cat >"$report" <<'LUA'
done = function(summary, latency, requests)
    local errors = summary.errors
    io.write(string.format("bench-result %.1f %d %d %d %d %d\n", summary.requests / (summary.duration / 1e6),
        latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
        errors.status + errors.connect + errors.read + errors.write + errors.timeout, summary.requests))
end
LUA
run() {  # URL SECONDS [REQUEST-SCRIPT]
    local script="$work/run.lua"
    cat ${3:+"$3"} "$report" >"$script"
    wrk -t 2 -c "$connections" -d "${2}s" -s "$script" "$1" | awk '$1 == "bench-result" { $1 = ""; print }'
}

ticks() { awk '{ print $14 + $15 }' "/proc/$node_pid/stat"; }
ms() { printf '%.2f' "$(echo "$1 / 1000" | bc -l)"; }
declare -A rate=() p50=() p99=() p999=() cpu=()
failures=0
measure() {  # KEY URL [REQUEST-SCRIPT]
    run "$2" "${WARMUP_SECONDS:-10}" "${3:-}" >/dev/null  # warm-up: let the JIT compile this path
    local before r a b c failed requests
    before="$(ticks)"
    read -r r a b c failed requests < <(run "$2" "$duration" "${3:-}")
    rate[$1]="$r" p50[$1]="$(ms "$a")" p99[$1]="$(ms "$b")" p999[$1]="$(ms "$c")"
    cpu[$1]="$(echo "($(ticks) - $before) * 1000000 / $(getconf CLK_TCK) / $requests" | bc)"
    failures=$((failures + failed))
}

measure healthz-before "$endpoint/healthz"
for name in caller-identity-long-term-key caller-identity-session assume-role; do
    measure "post-$name" "$endpoint/" "$work/$name.lua"
done
for name in caller-identity-long-term-key caller-identity-session assume-role; do
    measure "get-$name" "$(cat "$work/$name.url")"
done
measure healthz-after "$endpoint/healthz"

baseline="$(echo "(${rate[healthz-before]} + ${rate[healthz-after]}) / 2" | bc -l)"
printf '%-44s %10s %8s %8s %8s %7s %7s\n' request req/s p50 p99 p99.9 ratio "µs/req"
for key in healthz-before post-caller-identity-long-term-key post-caller-identity-session post-assume-role \
        get-caller-identity-long-term-key get-caller-identity-session get-assume-role healthz-after; do
    printf '%-44s %10.0f %8s %8s %8s %7.2f %7s\n' "$key" "${rate[$key]}" "${p50[$key]}" "${p99[$key]}" \
        "${p999[$key]}" "$(echo "${rate[$key]} / $baseline" | bc -l)" "${cpu[$key]}"
done
echo "latencies in ms; ratio: to the mean of the two /healthz runs ($(printf '%.0f' "$baseline") req/s);" \
    "µs/req: the node's CPU time (user and system) per request"
errors="$(grep -c '"errorCode"' "$work/data/audit.log" || true)"
echo "responses other than 2xx and socket errors: $failures; audit events with an error code: $errors (expected 0)"
[ "$failures" -eq 0 ] && [ "$errors" -eq 0 ]
