#!/usr/bin/env bash
# A soak: a node under a steady, realistic mix of calls for MINUTES minutes, watched for leaks (docs/PERFORMANCE.md).
#   bench/soak.sh MINUTES [sample interval in seconds, default 30] [connections, default 32]
#
# The mix, replayed with wrk (Debian package `wrk`) as the AWS SDK for Python sends it (bench/signed-requests.py):
# GetCallerIdentity with temporary credentials 50%, AssumeRole 30%, GetCallerIdentity with a long-term key 10%, and
# the IAM reads GetRole and ListRoles with temporary credentials 5% each. The rate is fixed at 80% of the AssumeRole
# peak measured at the start (a closed-loop wrk run of signed AssumeRole POSTs): a Lua pacer gives each wrk thread a
# schedule of send times, so the offered rate does not follow the node's latency. A schedule more than a second behind
# skips the missed sends instead of bursting, so a node that cannot keep up shows as a lower achieved rate.
#
# Every interval: a full GC is forced (jcmd GC.run) and the heap in use after it read from the node's GC log, with the
# node's threads (/proc/PID/task) and open file descriptors (/proc/PID/fd). At the end: wrk's counts, the node's own
# count of calls by outcome (/metrics), and a verdict on heap, threads and descriptors between minute 2 and the end.
# Signatures are valid for 15 minutes, so the load runs in segments of at most 10 minutes, each signed anew.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
minutes="${1:?usage: bench/soak.sh MINUTES [sample seconds] [connections]}"
interval="${2:-30}"
connections="${3:-32}"
threads=2
command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)" >&2; exit 1; }
command -v jcmd >/dev/null || { echo "bench: jcmd (JDK) is needed" >&2; exit 1; }

work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
endpoint="http://127.0.0.1:$port"
# The GC log gives the heap in use right after each forced full GC: reading it with a second jcmd afterwards would count
# what the load allocated in between.
OPENSTS_JAVA_OPTS="${OPENSTS_JAVA_OPTS:-} -Xlog:gc:file=$work/gc.log" ./opensts serve --data-dir "$work/data" \
    --listen "127.0.0.1:$port" --bootstrap examples/quickstart.yaml --rate-limit 0 >"$work/server.log" 2>&1 &
node_pid=$!  # ./opensts execs java
sampler_pid=""
trap 'kill $sampler_pid $node_pid 2>/dev/null; wait $node_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fsS "$endpoint/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
sign() { python3 bench/signed-requests.py "$endpoint" "$work/data/admin-credentials" "$work"; }
sign

# The AssumeRole peak, after a warm-up.
cat >"$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
    local errors = summary.errors
    io.write(string.format("bench-result %.1f %d %d %d %d %d\n", summary.requests / (summary.duration / 1e6),
        latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
        errors.status + errors.connect + errors.read + errors.write + errors.timeout, summary.requests))
end
LUA
cat "$work/assume-role.lua" "$work/report.lua" >"$work/peak.lua"
wrk -t "$threads" -c 16 -d 10s -s "$work/peak.lua" "$endpoint/" >/dev/null
peak="$(wrk -t "$threads" -c 16 -d 10s -s "$work/peak.lua" "$endpoint/" | awk '$1 == "bench-result" { print $2 }')"
rate="$(printf '%.0f' "$(echo "$peak * 0.8" | bc -l)")"
echo "AssumeRole peak: $(printf '%.0f' "$peak") req/s; soak rate: $rate req/s for $minutes minutes"

# The paced mix: requests.lua (the signed requests as a table), then the pacer.
cat >"$work/pacer.lua" <<'LUA'
local ffi = require("ffi")
ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clock, bench_timespec *now);
]]
local now = ffi.new("bench_timespec")
local function millis()
    ffi.C.clock_gettime(1, now)  -- CLOCK_MONOTONIC
    return tonumber(now.tv_sec) * 1000 + tonumber(now.tv_nsec) / 1e6
end
-- Twenty slots: the mix's percentages in twentieths, interleaved.
local mix = { "caller-identity-session", "assume-role", "caller-identity-session", "caller-identity-long-term-key",
    "caller-identity-session", "assume-role", "caller-identity-session", "get-role-session",
    "caller-identity-session", "assume-role", "caller-identity-session", "assume-role",
    "caller-identity-session", "caller-identity-long-term-key", "caller-identity-session", "assume-role",
    "caller-identity-session", "list-roles-session", "caller-identity-session", "assume-role" }
local formatted = {}
local next_slot = 1
local spacing, due
init = function(args)
    spacing = 1000 * tonumber(args[2]) / tonumber(args[1])  -- ms between two sends of this thread
    for i, name in ipairs(mix) do
        local r = bench_requests[name]
        formatted[i] = wrk.format(r.method, r.path, r.headers, r.body)
    end
end
request = function()
    local r = formatted[next_slot]
    next_slot = next_slot % #formatted + 1
    return r
end
delay = function()
    local t = millis()
    if due == nil or due < t - 1000 then
        due = t
    end
    local wait = due - t
    due = due + spacing
    return wait > 0 and math.floor(wait) or 0
end
LUA

# Heap after a full GC, threads and descriptors, every interval.
samples="$work/samples.csv"
echo "seconds,heap_used_kb_after_full_gc,threads,open_fds,rss_kb" >"$samples"
sample() {
    local heap
    jcmd "$node_pid" GC.run >/dev/null
    # e.g. "[12.3s][info][gc] GC(7) Pause Full (Diagnostic Command) 88M->30M(256M) 45.1ms": the heap after it, in KB.
    heap="$(awk '/Pause Full \(Diagnostic Command\)/ { line = $0 } END { sub(/.*->/, "", line); sub(/M.*/, "", line);
        print line * 1024 }' "$work/gc.log")"
    echo "$1,$heap,$(ls "/proc/$node_pid/task" | wc -l),$(ls "/proc/$node_pid/fd" | wc -l),$(awk '/VmRSS/ { print $2 }' \
        "/proc/$node_pid/status")" >>"$samples"
}
start="$(date +%s)"
(
    while :; do
        sample $(($(date +%s) - start))
        sleep "$interval"
    done
) &
sampler_pid=$!

remaining=$((minutes * 60))
: >"$work/wrk.out"
while [ "$remaining" -gt 0 ]; do
    segment=$((remaining < 600 ? remaining : 600))
    [ -s "$work/wrk.out" ] && sign  # a new segment: signatures made now
    cat "$work/requests.lua" "$work/pacer.lua" "$work/report.lua" >"$work/soak.lua"
    wrk -t "$threads" -c "$connections" -d "${segment}s" --timeout 10s -s "$work/soak.lua" "$endpoint/" -- \
        "$rate" "$threads" | tee -a "$work/wrk.out" | grep -v '^bench-result' || true
    remaining=$((remaining - segment))
done
sample $(($(date +%s) - start))
kill "$sampler_pid" 2>/dev/null || true
sampler_pid=""

echo
echo "samples (heap in use after a full GC, KB):"
column -s, -t "$samples"
read -r requests failed < <(awk '$1 == "bench-result" { requests += $7; failed += $6 }
    END { print requests + 0, failed + 0 }' "$work/wrk.out")
echo "wrk: $requests requests in $minutes minutes, $failed non-2xx responses or socket errors"
node_errors="$(curl -fsS "$endpoint/metrics" | awk -F'[{}]' '/^opensts_requests_seconds_count/ {
        n = split($2, tags, ","); action = ""; outcome = ""
        for (i = 1; i <= n; i++) { split(tags[i], kv, "="); gsub(/"/, "", kv[2])
            if (kv[1] == "action") action = kv[2]; if (kv[1] == "outcome") outcome = kv[2] }
        split($3, value, " "); calls[action " " outcome] += value[1]; total += value[1]
        if (outcome != "OK") errors += value[1] }
    END { for (k in calls) printf "node: %-40s %d\n", k, calls[k] > "/dev/stderr"
          printf "%d\n", errors }' 2> >(sort >&2))"
sleep 0.2
audit_errors="$(grep -c '"errorCode"' "$work/data/audit.log" || true)"
for rolled in "$work"/data/audit.*.log.gz; do
    [ -e "$rolled" ] && audit_errors=$((audit_errors + $(zcat "$rolled" | grep -c '"errorCode"' || true)))
done
echo "verdict: errors: $failed from wrk, $node_errors calls with an error outcome at the node, $audit_errors audit" \
    "events with an error code: $([ $((failed + node_errors + audit_errors)) -eq 0 ] && echo none || echo ERRORS)"

# The verdict: from the first sample at or after minute 2 to the last.
awk -F, -v from=120 'NR > 1 && $1 >= from { n++; x[n] = $1; h[n] = $2; t[n] = $3; f[n] = $4 }
    END {
        if (n < 3) { print "verdict: too short (fewer than 3 samples after minute 2)"; exit 1 }
        for (i = 1; i <= n; i++) { sx += x[i]; sh += h[i] }
        mx = sx / n; mh = sh / n
        for (i = 1; i <= n; i++) { sxy += (x[i] - mx) * (h[i] - mh); sxx += (x[i] - mx) ^ 2 }
        slope = sxy / sxx  # KB per second, least squares
        growth = slope * (x[n] - x[1])
        flat = growth < 0.05 * h[1] || growth < 2048
        printf "verdict: heap after full GC from %ds to %ds: %d KB -> %d KB (trend %+.0f KB over the window, %+.1f%%): %s\n",
            x[1], x[n], h[1], h[n], growth, 100 * growth / h[1], flat ? "flat" : "GROWING"
        printf "verdict: threads %d -> %d, open descriptors %d -> %d: %s\n", t[1], t[n], f[1], f[n],
            (t[n] <= t[1] && f[n] <= f[1]) ? "no growth" : "GROWTH"
        exit !(flat && t[n] <= t[1] && f[n] <= f[1])
    }' "$samples"
[ $((failed + node_errors + audit_errors)) -eq 0 ]
