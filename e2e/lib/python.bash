# Finds a python3 whose boto3 honours AWS_ENDPOINT_URL_STS: service-specific endpoint variables need botocore 1.31 or
# later (AWS SDKs and Tools Reference Guide, "Service-specific endpoints"). Sourced by run-tests and the e2e scripts
# that drive boto3. Prints the interpreter's real path (not a version manager's shim) and returns 0, or returns 1.
boto3_python() {
    local candidate
    for candidate in $(type -ap python3) /usr/bin/python3; do
        [ -x "$candidate" ] || continue
        "$candidate" - <<'PYTHON' 2>/dev/null && return 0
import sys
import boto3
import botocore
if tuple(int(part) for part in botocore.__version__.split(".")[:2]) < (1, 31):
    sys.exit(1)
print(sys.executable)
PYTHON
    done
    return 1
}

# Whether any python3 on this machine has boto3 at all, whatever its version.
any_python_has_boto3() {
    local candidate
    for candidate in $(type -ap python3) /usr/bin/python3; do
        [ -x "$candidate" ] && "$candidate" -c 'import boto3' 2>/dev/null && return 0
    done
    return 1
}
