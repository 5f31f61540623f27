#!/usr/bin/env bash
# The S3 gateway under load, reported as ratios to the same S3 server reached directly in the same run
# (docs/PERFORMANCE.md). Starts a real S3 server (the one the gateway's tests run against, in a process of its own, in
# memory) and `./opensts serve` with the gateway in front of it, puts a 4 KB object, then replays GETs of it with wrk
# (Debian package `wrk`), each warmed up first:
#   - presigned GET, directly at the S3 server with its own key, then through the gateway with a role session's
#     temporary credentials;
#   - the same with a header-signed GET (a fixed signed header set, valid for the 15 minutes of clock skew S3 allows);
#   - a control: the direct presigned GET on a new connection each time.
# Each row also shows the CPU time the node and the S3 server spent per request.
#   bench/gateway-load.sh [seconds per run, default 10] [connections, default 16]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
duration="${1:-10}"
connections="${2:-16}"
command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)" >&2; exit 1; }
python3 -c 'import boto3' 2>/dev/null || { echo "bench: python3 with boto3 is needed" >&2; exit 1; }

work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
s3_port="$(free_port)"
sts_port="$(free_port)"
gateway_port="$(free_port)"
upstream="http://127.0.0.1:$s3_port"
endpoint="http://127.0.0.1:$sts_port"
gateway="http://127.0.0.1:$gateway_port"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
wait_for() {  # URL: any HTTP answer means the server is up
    for _ in $(seq 1 240); do
        curl -sS -o /dev/null "$1" 2>/dev/null && return 0
        sleep 0.5
    done
    echo "bench: nothing answers at $1" >&2
    exit 1
}

# The S3 server: the version the gateway's tests use, resolved from the Maven cache, with its own key. Its logging is
# kept to warnings, so that it spends its time serving.
cat >"$work/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0">
    <modelVersion>4.0.0</modelVersion>
    <groupId>bench</groupId>
    <artifactId>s3-server</artifactId>
    <version>1</version>
    <dependencies>
        <dependency><groupId>org.gaul</groupId><artifactId>s3proxy</artifactId><version>2.6.0</version></dependency>
    </dependencies>
</project>
POM
mvn -B -q -o -f "$work/pom.xml" dependency:build-classpath -Dmdep.outputFile="$work/s3-server.classpath" >&2
upstream_key="BENCHUPSTREAMKEY0001"
upstream_secret="bench-upstream-secret-known-to-the-gateway-only"
cat >"$work/s3-server.properties" <<PROPERTIES
s3proxy.endpoint=$upstream
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$upstream_key
s3proxy.credential=$upstream_secret
s3proxy.ignore-unknown-headers=true
jclouds.provider=transient
jclouds.identity=unused
jclouds.credential=unused
PROPERTIES
cat >"$work/logback.xml" <<'LOGBACK'
<configuration>
    <appender name="stderr" class="ch.qos.logback.core.ConsoleAppender">
        <target>System.err</target>
        <encoder><pattern>%d %level %logger %msg%n</pattern></encoder>
    </appender>
    <root level="WARN"><appender-ref ref="stderr"/></root>
</configuration>
LOGBACK
printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$upstream_key" "$upstream_secret" \
    >"$work/upstream-credentials"
java -Dlogback.configurationFile="$work/logback.xml" -cp "$(cat "$work/s3-server.classpath")" org.gaul.s3proxy.Main \
    --properties "$work/s3-server.properties" >"$work/s3-server.log" 2>&1 &
pids+=($!)

# The node, with a role whose sessions may read the bucket. One principal at full speed is far beyond the default
# rate limit: the load measures the gateway, so throttling is off.
cat >"$work/bootstrap.yaml" <<'YAML'
accounts:
  - id: "123456789012"
    roles:
      - name: bench-reader
        maxSessionDuration: 3600
        trustPolicy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal:
                AWS: arn:aws:iam::123456789012:user/admin
              Action: sts:AssumeRole
        policies:
          - name: ReadBench
            document:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: s3:ListBucket
                  Resource: arn:aws:s3:::bench
                - Effect: Allow
                  Action: [s3:GetObject, s3:GetObjectVersion]
                  Resource: arn:aws:s3:::bench/*
YAML
./opensts serve --data-dir "$work/data" --listen "127.0.0.1:$sts_port" --bootstrap "$work/bootstrap.yaml" \
    --rate-limit 0 --s3-gateway "127.0.0.1:$gateway_port" --s3-upstream "$upstream" \
    --s3-upstream-credentials "$work/upstream-credentials" >"$work/server.log" 2>&1 &
pids+=($!)
wait_for "$upstream/"
wait_for "$endpoint/healthz"
wait_for "$gateway/"

# The bucket and the object are made through the gateway by admin; the requests replayed are presigned or signed for
# 15 minutes, long enough for every run below.
python3 - "$endpoint" "$gateway" "$upstream" "$work/data/admin-credentials" "$upstream_key" "$upstream_secret" \
    "$work" <<'PYTHON'
import boto3, configparser, os, sys
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

endpoint, gateway, upstream, credentials, upstream_key, upstream_secret, work = sys.argv[1:8]
config = configparser.ConfigParser()
config.read(credentials)
admin = dict(aws_access_key_id=config["default"]["aws_access_key_id"],
             aws_secret_access_key=config["default"]["aws_secret_access_key"])
s3_config = Config(signature_version="s3v4", s3={"addressing_style": "path"})
sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1", **admin)
admin_s3 = boto3.client("s3", endpoint_url=gateway, region_name="us-east-1", config=s3_config, **admin)
admin_s3.create_bucket(Bucket="bench")
body = os.urandom(4096)
admin_s3.put_object(Bucket="bench", Key="object-4k", Body=body)

session = sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/bench-reader", RoleSessionName="bench",
                          DurationSeconds=3600)["Credentials"]
role = dict(aws_access_key_id=session["AccessKeyId"], aws_secret_access_key=session["SecretAccessKey"],
            aws_session_token=session["SessionToken"])
direct = dict(aws_access_key_id=upstream_key, aws_secret_access_key=upstream_secret)
targets = {"direct": (upstream, direct), "gateway": (gateway, role)}
for name, (url, keys) in targets.items():
    client = boto3.client("s3", endpoint_url=url, region_name="us-east-1", config=s3_config, **keys)
    assert client.get_object(Bucket="bench", Key="object-4k")["Body"].read() == body, name
    presigned = client.generate_presigned_url("get_object", Params={"Bucket": "bench", "Key": "object-4k"},
                                              ExpiresIn=900)
    open(f"{work}/presigned-{name}.url", "w").write(presigned)
    # A header-signed GET as the SDKs send it over HTTP: the payload hash of the empty body, the date, the token.
    request = AWSRequest(method="GET", url=f"{url}/bench/object-4k")
    S3SigV4Auth(Credentials(keys["aws_access_key_id"], keys["aws_secret_access_key"],
                            keys.get("aws_session_token")), "s3", "us-east-1").add_auth(request)
    with open(f"{work}/signed-{name}.lua", "w") as lua:
        for header, value in request.headers.items():
            lua.write(f'wrk.headers["{header}"] = "{value}"\n')
    open(f"{work}/signed-{name}.url", "w").write(f"{url}/bench/object-4k")
PYTHON

# One wrk run: "req/s p50 p99 non-2xx requests" of a URL, with an optional Lua script of fixed headers and more of
# wrk's options.
run() {
    local url="$1" seconds="$2" script="${3:-}"
    shift 3 || shift $#
    local output
    output="$(wrk -t 2 -c "$connections" -d "${seconds}s" --latency ${script:+-s "$script"} "$@" "$url")"
    echo "$output" | awk '
        /Requests\/sec/ { rate = $2 }
        / requests in / { requests = $1 }
        $1 == "50.000%" || $1 == "50%" { p50 = $2 }
        $1 == "99.000%" || $1 == "99%" { p99 = $2 }
        /Non-2xx or 3xx responses/ { failed = $NF }
        END { printf "%s %s %s %d %d\n", rate, p50, p99, failed + 0, requests }'
}

# CPU time (user and system, in clock ticks) a process has used: its cost per request is the difference over a run.
node_pid="${pids[1]}"
s3_pid="${pids[0]}"
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
per_request() {  # TICKS REQUESTS: microseconds of CPU per request
    echo "$1 * 1000000 / $(getconf CLK_TCK) / $2" | bc
}

# One measured row: warm-up, run, and the CPU the node and the S3 server spent per request.
declare -A rate=()
failures=0
measure() {
    local label="$1" key="$2" url="$3" script="$4"
    shift 4
    run "$url" 5 "$script" "$@" >/dev/null  # warm-up: let the JIT compile this path
    local node_before s3_before r p50 p99 failed requests ratio
    node_before="$(ticks "$node_pid")"
    s3_before="$(ticks "$s3_pid")"
    read -r r p50 p99 failed requests < <(run "$url" "$duration" "$script" "$@")
    rate[$key]="$r"
    failures=$((failures + failed))
    ratio="-"
    case "$key" in
        *-gateway) ratio="$(printf '%.2f' "$(echo "$r / ${rate[${key%-gateway}-direct]}" | bc -l)")" ;;
        *-direct) ratio="1" ;;
    esac
    printf '%-28s %10.0f %10s %10s %8s %12s %12s\n' "$label" "$r" "$p50" "$p99" "$ratio" \
        "$(per_request $(($(ticks "$node_pid") - node_before)) "$requests")" \
        "$(per_request $(($(ticks "$s3_pid") - s3_before)) "$requests")"
}

printf '%-28s %10s %10s %10s %8s %12s %12s\n' "request" "req/s" "p50" "p99" "ratio" "node µs/req" "S3 µs/req"
for form in presigned signed; do
    for target in direct gateway; do
        script=""
        [ "$form" = signed ] && script="$work/$form-$target.lua"
        measure "$form GET 4 KB, $target" "$form-$target" "$(cat "$work/$form-$target.url")" "$script"
    done
done
# A control: the direct presigned GET on a new connection each time, as the gateway reaches the store (it keeps no
# upstream connection open between requests).
measure "presigned, direct, new conn." control "$(cat "$work/presigned-direct.url")" "" -H "Connection: close"
echo "responses other than 2xx: $failures (expected 0); µs/req: CPU time (user and system) per request"
[ "$failures" -eq 0 ]
