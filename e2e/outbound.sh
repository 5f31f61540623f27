#!/usr/bin/env bash
# Outbound identity federation, OpenSTS trusting itself, as a user runs it with boto3 over HTTPS: account 111111111111
# enables it and gets a web identity token (GetWebIdentityToken); the token verifies against the JWKS the issuer URL's
# discovery document names; account 222222222222 registers that issuer as an IAM OIDC provider and trades the token for
# a session of its role with AssumeRoleWithWebIdentity. Also: a refused call carries an encoded authorization message
# that DecodeAuthorizationMessage explains, and a token for another audience is refused.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

e2e_name=outbound
e2e_scheme=https
source e2e/lib/node.bash
source e2e/lib/python.bash
py="$(boto3_python)" || fail "no python3 here has boto3 with botocore 1.31 or later (./run-tests installs one)"

# A private CA and a server certificate for 127.0.0.1: the node serves HTTPS with it and, as an identity provider's
# client, trusts the same CA (--trusted-ca-file), since here it is its own identity provider.
quiet() { "$@" 2>"$work/openssl.err" || fail "$1 $2: $(cat "$work/openssl.err")"; }
quiet openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/ca.key" \
    -out "$work/ca.pem" -days 1 -subj "/CN=e2e outbound CA"
quiet openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/tls.key" \
    -out "$work/tls.csr" -subj "/CN=127.0.0.1"
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$work/tls.ext"
quiet openssl x509 -req -in "$work/tls.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 1 \
    -extfile "$work/tls.ext" -out "$work/tls.pem"
e2e_cacert="$work/ca.pem"

start_server --bootstrap e2e/outbound.yaml --tls-cert "$work/tls.pem" --tls-key "$work/tls.key" \
    --trusted-ca-file "$work/ca.pem" --public-url "$endpoint"

AWS_CA_BUNDLE="$work/ca.pem" AWS_SHARED_CREDENTIALS_FILE="$work/data/bootstrap-credentials" \
    "$py" - "$endpoint" >"$work/out.txt" 2>&1 <<'PYTHON' || fail "$(cat "$work/out.txt")"
import base64
import json
import os
import ssl
import sys
import urllib.request

import boto3
import botocore.config
import botocore.exceptions

endpoint = sys.argv[1]
ssl_context = ssl.create_default_context(cafile=os.environ["AWS_CA_BUNDLE"])


def client(service, profile):
    return boto3.Session(profile_name=profile, region_name="us-east-1").client(service, endpoint_url=endpoint)


def error_code(call):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"]
    raise AssertionError("the call succeeded")


issuer_iam = client("iam", "admin@111111111111")
issuer_sts = client("sts", "admin@111111111111")
relying_iam = client("iam", "admin@222222222222")

# Before enabling: the account has no issuer.
code, _ = error_code(lambda: issuer_sts.get_web_identity_token(Audience=["relying"], SigningAlgorithm="ES384"))
assert code == "OutboundWebIdentityFederationDisabledException", code

issuer_url = issuer_iam.enable_outbound_web_identity_federation()["IssuerIdentifier"]
assert issuer_url.startswith(endpoint + "/"), issuer_url
assert issuer_iam.get_outbound_web_identity_federation_info()["IssuerIdentifier"] == issuer_url

token = issuer_sts.get_web_identity_token(Audience=["relying"], SigningAlgorithm="ES384",
                                          DurationSeconds=600)["WebIdentityToken"]
header, payload, _ = token.split(".")
claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
assert claims["iss"] == issuer_url and claims["aud"] == "relying", claims
assert claims["sub"] == "arn:aws:iam::111111111111:user/admin", claims
assert claims["exp"] - claims["iat"] == 600, claims

# The discovery document names the JWKS, which holds the token's key.
discovery = json.load(urllib.request.urlopen(issuer_url + "/.well-known/openid-configuration", context=ssl_context))
assert discovery["issuer"] == issuer_url, discovery
jwks = json.load(urllib.request.urlopen(discovery["jwks_uri"], context=ssl_context))
kid = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]
assert any(key["kid"] == kid for key in jwks["keys"]), (kid, jwks)
assert all("d" not in key for key in jwks["keys"]), "the JWKS holds a private key"

# The relying account trusts the issuer and trades the token for a session of its role.
host_path = issuer_url[len("https://"):]
provider = relying_iam.create_open_id_connect_provider(Url=issuer_url, ClientIDList=["relying"])
relying_iam.create_role(RoleName="from-issuer", AssumeRolePolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Federated": provider["OpenIDConnectProviderArn"]},
                   "Action": "sts:AssumeRoleWithWebIdentity",
                   "Condition": {"StringEquals": {host_path + ":sub": "arn:aws:iam::111111111111:user/admin",
                                                  host_path + ":aud": "relying"}}}]}))
anonymous = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1",
                         config=botocore.config.Config(signature_version=botocore.UNSIGNED))
session = anonymous.assume_role_with_web_identity(RoleArn="arn:aws:iam::222222222222:role/from-issuer",
                                                  RoleSessionName="federated", WebIdentityToken=token)
assert session["AssumedRoleUser"]["Arn"] == "arn:aws:sts::222222222222:assumed-role/from-issuer/federated", session
assert session["Provider"] == provider["OpenIDConnectProviderArn"], session
credentials = session["Credentials"]
arn = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
                   aws_session_token=credentials["SessionToken"]).get_caller_identity()["Arn"]
assert arn == "arn:aws:sts::222222222222:assumed-role/from-issuer/federated", arn

# A token for another audience is not one the relying account's provider accepts.
other = issuer_sts.get_web_identity_token(Audience=["someone-else"], SigningAlgorithm="RS256")["WebIdentityToken"]
code, message = error_code(lambda: anonymous.assume_role_with_web_identity(
    RoleArn="arn:aws:iam::222222222222:role/from-issuer", RoleSessionName="other", WebIdentityToken=other))
assert (code, message) == ("InvalidIdentityToken", "Incorrect token audience"), (code, message)

# A refusal explains itself to whoever may decode it.
code, message = error_code(lambda: client("iam", "nobody@111111111111").create_user(UserName="mallory"))
assert code == "AccessDenied", code
encoded = message.split("Encoded authorization failure message: ")[1]
decoded = json.loads(issuer_sts.decode_authorization_message(EncodedMessage=encoded)["DecodedMessage"])
assert decoded["allowed"] is False and decoded["context"]["action"] == "iam:CreateUser", decoded
code, _ = error_code(lambda: client("sts", "nobody@111111111111").decode_authorization_message(
    EncodedMessage=encoded))
assert code == "AccessDenied", code
print("ok")
PYTHON
grep -qx ok "$work/out.txt" || fail "$(cat "$work/out.txt")"
echo "e2e/outbound: ok (a token from GetWebIdentityToken verified against the issuer's JWKS over HTTPS and traded" \
    "for a role session of another account; a refusal decoded)"
