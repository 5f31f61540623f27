#!/usr/bin/env bash
# The identity store at scale (docs/PERFORMANCE.md, "100,000 entities"): a node on PostgreSQL holding 100,000 users
# and 100,000 roles against the same node holding the quick start's one role, as ratios measured in one run:
#   - start-up: `./opensts serve` launched to its first /healthz 200, on each store;
#   - AssumeRole (signed POST): on the one role, warm, against one on a different random role every request, so that
#     every request finds the caches cold for its role (its trust policy, tags, inline and attached policies);
#   - ListUsers and ListRoles: the latency of the first page against a page 99% of the way through the listing.
#   bench/scale.sh [entities, default 100000] [seconds per load run, default 10] [connections, default 16]
# Needs wrk, python3 with boto3, and PostgreSQL's server programs (Debian: apt-get install wrk python3-boto3
# postgresql; the script installs them with apt-get when run as root and they are missing). It runs a throwaway
# PostgreSQL cluster of its own on a free port, as the `postgres` user when run as root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
entities="${1:-100000}"
duration="${2:-10}"
connections="${3:-16}"

pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
missing=()
command -v wrk >/dev/null || missing+=(wrk)
python3 -c 'import boto3' 2>/dev/null || missing+=(python3-boto3)
[ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "bench: installing ${missing[*]}" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
        pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    else
        echo "bench: needs ${missing[*]} (Debian: apt-get install ${missing[*]})" >&2
        exit 1
    fi
fi

work="$(mktemp -d)"
chmod 755 "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pg_port="$(free_port)"
port="$(free_port)"
endpoint="http://127.0.0.1:$port"
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); fi
server_pid=""
stop_node() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}
cleanup() {
    stop_node
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

mkdir "$work/pg"
[ ${#as_pg[@]} -eq 0 ] || chown postgres "$work/pg"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U opensts --auth=trust --no-sync >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w \
    -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=256MB" start >/dev/null
psql() { command psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U opensts "$@"; }
psql -d postgres -c "CREATE DATABASE one" -c "CREATE DATABASE many"

# Starts a node on database $1 with data directory $2 and prints how long it took to answer /healthz, in ms.
start_node() {
    local started
    started="$(date +%s%N)"
    OPENSTS_STORE_PASSWORD=unused ./opensts serve --data-dir "$2" --listen "127.0.0.1:$port" \
        --store "jdbc:postgresql://127.0.0.1:$pg_port/$1" --store-user opensts \
        --store-password:env OPENSTS_STORE_PASSWORD --bootstrap examples/quickstart.yaml --rate-limit 0 \
        >>"$2.log" 2>&1 &
    server_pid=$!
    until curl -fsS "$endpoint/healthz" >/dev/null 2>&1; do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            echo "bench: the node did not start:" >&2
            tail -20 "$2.log" >&2
            exit 1
        fi
        sleep 0.02
    done
    echo $(( ($(date +%s%N) - started) / 1000000 ))
}

# First starts: migrate both stores, copy the AWS managed policies, create admin and the quick start's role.
./opensts --help >/dev/null 2>&1 || true  # builds the jar if the sources changed, outside any timing
start_node one "$work/one" >/dev/null; stop_node
start_node many "$work/many" >/dev/null; stop_node

echo "bench: seeding $entities users and $entities roles" >&2
seeded="$(date +%s%N)"
# Each user and role carries two tags; each role the quick start role's trust policy (bound to admin) and inline
# policy, so that assuming it does what assuming `demo` does.
# Straight into the tables: this many is beyond the account's IAM quotas (5,000 users, 1,000 roles), which CreateUser
# and CreateRole enforce; the bench measures the store at a scale the API would not build.
psql -d many -v n="$entities" <<'SQL'
BEGIN;
INSERT INTO users (user_id, account_id, user_name, name_key, path, create_date)
SELECT 'AIDASCALE' || lpad(i::text, 12, '0'), '123456789012', 'user-' || lpad(i::text, 6, '0'),
       'user-' || lpad(i::text, 6, '0'), '/bench/', 1764979200000
FROM generate_series(1, :n) AS i;
INSERT INTO roles (role_id, account_id, role_name, name_key, path, assume_role_policy, description,
                   max_session_duration, create_date)
SELECT 'AROASCALE' || lpad(i::text, 12, '0'), r.account_id, 'role-' || lpad(i::text, 6, '0'),
       'role-' || lpad(i::text, 6, '0'), '/bench/', r.assume_role_policy, r.description, r.max_session_duration,
       r.create_date
FROM generate_series(1, :n) AS i, roles r WHERE r.name_key = 'demo';
INSERT INTO role_trust_principals (role_id, position, principal, unique_id)
SELECT 'AROASCALE' || lpad(i::text, 12, '0'), p.position, p.principal, p.unique_id
FROM generate_series(1, :n) AS i, role_trust_principals p JOIN roles r ON r.role_id = p.role_id
WHERE r.name_key = 'demo';
INSERT INTO inline_policies (owner_kind, owner_id, policy_name, policy_document)
SELECT 'ROLE', 'AROASCALE' || lpad(i::text, 12, '0'), p.policy_name, p.policy_document
FROM generate_series(1, :n) AS i, inline_policies p JOIN roles r ON r.role_id = p.owner_id
WHERE r.name_key = 'demo';
INSERT INTO entity_tags (owner_kind, owner_id, key_lower, tag_key, tag_value, position)
SELECT kind, prefix || lpad(i::text, 12, '0'), key_lower, tag_key, 'v' || i, position
FROM generate_series(1, :n) AS i,
     (VALUES ('USER', 'AIDASCALE'), ('ROLE', 'AROASCALE')) AS k (kind, prefix),
     (VALUES ('team', 'Team', 0), ('cost-center', 'CostCenter', 1)) AS t (key_lower, tag_key, position);
COMMIT;
ANALYZE;
SQL
echo "bench: seeded in $(( ($(date +%s%N) - seeded) / 1000000 )) ms" >&2

# Start-up, three times on each store; the median of each.
median() { sort -n | sed -n 2p; }
startup_one="$(for _ in 1 2 3; do start_node one "$work/one"; stop_node; done | median)"
startup_many="$(for _ in 1 2 3; do start_node many "$work/many"; stop_node; done | median)"

# The node under load, on the store with every entity.
start_node many "$work/many" >/dev/null

# Signed POST requests, as the SDKs send them: one replayed on `demo`, and one per role in a random order, split into
# a warm-up slice and the measured slice so that a role the warm-up cached is not one the measured run asks for. Every
# signature stays valid for 15 minutes, more than the runs below take.
python3 - "$endpoint" "$work/many/admin-credentials" "$work" "$entities" <<'PYTHON'
import configparser, random, sys
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
endpoint, credentials_file, work, entities = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
config = configparser.ConfigParser()
config.read(credentials_file)
credentials = Credentials(config["default"]["aws_access_key_id"], config["default"]["aws_secret_access_key"])
signer = SigV4Auth(credentials, "sts", "us-east-1")

def signed(role):
    body = (f"Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2F"
            f"{role.replace('/', '%2F')}&RoleSessionName=bench")
    request = AWSRequest(method="POST", url=endpoint + "/", data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    signer.add_auth(request)
    return "\t".join([body, request.headers["X-Amz-Date"], request.headers["Authorization"]])

roles = [f"bench/role-{i:06d}" for i in range(1, entities + 1)]
random.shuffle(roles)
with open(f"{work}/one-role.requests", "w") as out:
    out.write(signed("demo") + "\n")
# A slice for the warm-up and one for each of three measured runs: no role is asked for in two of them.
slice_size = len(roles) // 4
for number, name in enumerate(["random-warm-up", "random-1", "random-2", "random-3"]):
    with open(f"{work}/{name}.requests", "w") as out:
        out.writelines(signed(role) + "\n" for role in roles[number * slice_size:(number + 1) * slice_size])
PYTHON

# wrk replays a file of signed requests; each thread starts at its own share of the file, so that no two threads ask
# for the same role within a run.
cat >"$work/replay.lua" <<'LUA'
local threads = {}
function setup(thread)
    thread:set("index", #threads)
    table.insert(threads, thread)
end
function init(args)
    requests = {}
    for line in io.lines(args[1]) do
        local body, date, authorization = line:match("([^\t]*)\t([^\t]*)\t(.*)")
        table.insert(requests, wrk.format("POST", "/", {
            ["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8",
            ["X-Amz-Date"] = date, ["Authorization"] = authorization}, body))
    end
    position = (index * math.floor(#requests / tonumber(args[2]))) % #requests
end
function request()
    position = position % #requests + 1
    return requests[position]
end
LUA

# Prints "req/s non-2xx" for one wrk run.
run() {
    local seconds="$1"; shift
    wrk -t 2 -c "$connections" -d "${seconds}s" "$@" | awk '
        /Requests\/sec/ {rate = $2} /Non-2xx/ {errors = $NF} END {printf "%s %d\n", rate, errors}'
}
replay() { run "$1" -s "$work/replay.lua" "$endpoint/" -- "$work/$2.requests" 2; }

run 5 "$endpoint/healthz" >/dev/null  # warm-up
read -r healthz _ <<<"$(run "$duration" "$endpoint/healthz")"
replay 5 one-role >/dev/null
replay 5 random-warm-up >/dev/null
# Three rounds of one run each, alternating, so that a change in what else the machine runs weighs on both; the
# median of each.
load_errors=0
one_role_rates=()
random_rates=()
for round in 1 2 3; do
    read -r rate errors <<<"$(replay "$duration" one-role)"
    one_role_rates+=("$rate")
    load_errors=$((load_errors + errors))
    read -r rate errors <<<"$(replay "$duration" "random-$round")"
    random_rates+=("$rate")
    load_errors=$((load_errors + errors))
done
one_role="$(printf '%s\n' "${one_role_rates[@]}" | median)"
random_role="$(printf '%s\n' "${random_rates[@]}" | median)"

# The IAM list calls: a walk through every page of 100 (which also warms the path up), then the first page and a page
# 99% of the way through, asked for alternately 30 times each; the median latency of each.
python3 - "$endpoint" "$work/many/admin-credentials" >"$work/lists" <<'PYTHON'
import boto3, configparser, statistics, sys, time
endpoint, credentials_file = sys.argv[1:3]
config = configparser.ConfigParser()
config.read(credentials_file)
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id=config["default"]["aws_access_key_id"],
                   aws_secret_access_key=config["default"]["aws_secret_access_key"])
def timed(call, **parameters):
    started = time.perf_counter()
    page = call(MaxItems=100, **parameters)
    return (time.perf_counter() - started) * 1000, page

for name, call, key in (("ListUsers", iam.list_users, "Users"), ("ListRoles", iam.list_roles, "Roles")):
    markers, items = [None], 0
    while True:
        _, page = timed(call, **({"Marker": markers[-1]} if markers[-1] else {}))
        items += len(page[key])
        if not page.get("IsTruncated"):
            break
        markers.append(page["Marker"])
    deep = markers[len(markers) * 99 // 100]
    first, last = [], []
    for _ in range(30):
        first.append(timed(call)[0])
        last.append(timed(call, Marker=deep)[0])
    print(f"{name} {len(markers)} {items} {len(markers) * 99 // 100 + 1} "
          f"{statistics.median(first):.2f} {statistics.median(last):.2f}")
PYTHON
stop_node

errors="$(grep -c '"errorCode"' "$work/many/audit.log" || true)"
if [ "$errors" != 0 ]; then
    grep -o '"errorCode":"[^"]*","errorMessage":"[^"]\{0,80\}' "$work/many/audit.log" | sort | uniq -c \
        | sort -rn | head >&2
fi
printf '%-44s %12s %8s\n' "measure" "value" "ratio"
printf '%-44s %10s ms %8.2f\n' "start-up to /healthz, 1 role (baseline)" "$startup_one" 1
printf '%-44s %10s ms %8.2f\n' "start-up to /healthz, $entities users+roles" "$startup_many" \
    "$(echo "$startup_many / $startup_one" | bc -l)"
printf '%-44s %8.0f/s %8.2f\n' "healthz" "$healthz" 1
printf '%-44s %8.0f/s %8.2f\n' "AssumeRole POST, one role, warm (baseline)" "$one_role" \
    "$(echo "$one_role / $healthz" | bc -l)"
printf '%-44s %8.0f/s %8.2f\n' "AssumeRole POST, random role of $entities, cold" "$random_role" \
    "$(echo "$random_role / $healthz" | bc -l)"
printf '%-44s %12s %8.2f\n' "  random role / one role" "" "$(echo "$random_role / $one_role" | bc -l)"
while read -r name pages items deep first last; do
    printf '%-44s %10s ms %8.2f\n' "$name, page 1 of 100 items (baseline)" "$first" 1
    printf '%-44s %10s ms %8.2f\n' "$name, page $deep of $pages ($items items)" "$last" \
        "$(echo "$last / $first" | bc -l)"
done <"$work/lists"
echo "AssumeRole req/s, one role: ${one_role_rates[*]}; random roles: ${random_rates[*]}"
echo "non-2xx responses under load: $load_errors; audit events with an error code: $errors (expected 0 and 0)"
