#!/usr/bin/env bash
# The quick start over HTTPS, as a user runs it with --tls-self-signed: the node makes a CA and a server certificate in
# DATA/tls/ and prints the AWS_CA_BUNDLE line; the AWS CLI v2 and boto3 trusting that CA assume `demo` and call
# get-caller-identity, on 127.0.0.1 and on localhost. Also: the files' modes, openssl's view of the chain, a client
# that does not trust the CA refused, TLS 1.1 and plain HTTP refused, a server certificate replaced on disk served to
# new connections without a restart, and the same CA reused by the next start.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

e2e_name=tls
e2e_scheme=https
source e2e/lib/node.bash
source e2e/lib/python.bash
tls="$work/data/tls"
e2e_cacert="$tls/ca.pem"

start_server --bootstrap examples/quickstart.yaml --tls-self-signed

grep -qx "  export AWS_CA_BUNDLE=$tls/ca.pem" "$work/server.log" \
    || fail "the server did not print export AWS_CA_BUNDLE=$tls/ca.pem"
grep -q "OpenSTS is ready at $endpoint" "$work/server.log" || fail "the ready line does not name $endpoint"
for key in ca-key.pem server-key.pem; do
    [ "$(stat -c %a "$tls/$key")" = 600 ] || fail "$key is not mode 600"
done
openssl verify -x509_strict -purpose sslserver -CAfile "$tls/ca.pem" "$tls/server.pem" >/dev/null \
    || fail "openssl does not verify server.pem against ca.pem"
names="$(openssl x509 -in "$tls/server.pem" -noout -ext subjectAltName)"
for name in DNS:localhost "IP Address:127.0.0.1"; do
    grep -q "$name" <<<"$names" || fail "the server certificate does not name $name: $names"
done

# Without the CA, the AWS CLI refuses the server.
if admin sts get-caller-identity >/dev/null 2>"$work/err.txt"; then
    fail "the AWS CLI trusted the server without AWS_CA_BUNDLE"
fi
grep -qi "certificate verify failed" "$work/err.txt" || fail "without the CA: $(cat "$work/err.txt")"

export AWS_CA_BUNDLE="$tls/ca.pem"
for host in 127.0.0.1 localhost; do
    url="https://$host:$port"
    AWS_SHARED_CREDENTIALS_FILE="$work/data/admin-credentials" "$aws" --endpoint-url "$url" sts assume-role \
        --role-arn arn:aws:iam::123456789012:role/demo --role-session-name "tls-$host" >"$work/creds.json" \
        || fail "assume-role over $url failed"
    arn="$(AWS_SHARED_CREDENTIALS_FILE=/dev/null \
        AWS_ACCESS_KEY_ID="$(jq -r .Credentials.AccessKeyId "$work/creds.json")" \
        AWS_SECRET_ACCESS_KEY="$(jq -r .Credentials.SecretAccessKey "$work/creds.json")" \
        AWS_SESSION_TOKEN="$(jq -r .Credentials.SessionToken "$work/creds.json")" \
        "$aws" --endpoint-url "$url" sts get-caller-identity --query Arn --output text)" \
        || fail "get-caller-identity with the session credentials over $url failed"
    [ "$arn" = "arn:aws:sts::123456789012:assumed-role/demo/tls-$host" ] || fail "unexpected ARN over $url: $arn"
done

# boto3 (botocore reads AWS_CA_BUNDLE as the CLI does).
py="$(boto3_python)" || fail "no python3 here has boto3 with botocore 1.31 or later (./run-tests installs one)"
AWS_SHARED_CREDENTIALS_FILE="$work/data/admin-credentials" "$py" - "$endpoint" >"$work/boto3.txt" 2>&1 <<'PYTHON' \
    || fail "boto3 over HTTPS: $(cat "$work/boto3.txt")"
import sys

import boto3

endpoint = sys.argv[1]
admin = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1")
credentials = admin.assume_role(RoleArn="arn:aws:iam::123456789012:role/demo",
                                RoleSessionName="tls-boto3")["Credentials"]
session = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id=credentials["AccessKeyId"],
                       aws_secret_access_key=credentials["SecretAccessKey"],
                       aws_session_token=credentials["SessionToken"])
print(session.get_caller_identity()["Arn"])
PYTHON
[ "$(cat "$work/boto3.txt")" = "arn:aws:sts::123456789012:assumed-role/demo/tls-boto3" ] \
    || fail "boto3 answered $(cat "$work/boto3.txt")"

# Old protocol versions and plain HTTP are refused; TLS 1.2 and 1.3 are served.
for version in tls1_2 tls1_3; do
    openssl s_client -connect "127.0.0.1:$port" "-$version" -CAfile "$tls/ca.pem" -verify_return_error \
        </dev/null >"$work/s_client.txt" 2>&1 || fail "a $version handshake failed: $(cat "$work/s_client.txt")"
done
if openssl s_client -connect "127.0.0.1:$port" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' \
    </dev/null >"$work/s_client.txt" 2>&1; then
    fail "a TLS 1.1 handshake succeeded"
fi
grep -q "alert protocol version" "$work/s_client.txt" \
    || fail "TLS 1.1 was not refused by the server with protocol_version: $(cat "$work/s_client.txt")"
if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then fail "plain HTTP was answered on the TLS port"; fi

# A new server certificate from the same CA, written over the old one while the node runs, is served to new
# connections within a few seconds; a mismatched pair in between is ignored.
serial() {
    openssl s_client -connect "127.0.0.1:$port" -CAfile "$tls/ca.pem" </dev/null 2>/dev/null \
        | openssl x509 -noout -serial
}
old_serial="$(serial)"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/new-key.pem" 2>/dev/null
openssl req -new -key "$work/new-key.pem" -subj /CN=localhost -out "$work/new.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$work/ext.cnf"
openssl x509 -req -in "$work/new.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca-key.pem" -CAcreateserial -days 30 \
    -extfile "$work/ext.cnf" -out "$work/new.pem" 2>/dev/null
new_serial="$(openssl x509 -in "$work/new.pem" -noout -serial)"
cp "$work/new.pem" "$tls/server.pem.tmp" && mv "$tls/server.pem.tmp" "$tls/server.pem"
# The certificate without its key: logged and ignored.
for _ in $(seq 1 20); do
    grep -q "do not load" "$work/server.log" && break
    sleep 0.5
done
grep -q "do not load" "$work/server.log" || fail "a certificate without its key was not reported"
[ "$(serial)" = "$old_serial" ] || fail "a mismatched certificate and key were served"
install -m 600 "$work/new-key.pem" "$tls/server-key.pem.tmp" && mv "$tls/server-key.pem.tmp" "$tls/server-key.pem"
for _ in $(seq 1 20); do
    [ "$(serial)" = "$new_serial" ] && break
    sleep 0.5
done
[ "$(serial)" = "$new_serial" ] || fail "the new certificate was not picked up without a restart"
admin sts get-caller-identity >/dev/null || fail "get-caller-identity after the certificate changed failed"

# The next start reuses the CA, so clients keep trusting it.
ca_before="$(sha256sum <"$tls/ca.pem")"
stop_server
start_server --tls-self-signed
[ "$(sha256sum <"$tls/ca.pem")" = "$ca_before" ] || fail "a restart replaced the CA"
admin sts get-caller-identity >/dev/null || fail "get-caller-identity after a restart failed"

echo "e2e/tls: ok"
