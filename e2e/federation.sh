#!/usr/bin/env bash
# Federation as a user and an attacker run it, against a real `./opensts serve`:
#   * OpenID Connect: a private issuer on loopback HTTPS (its CA given to the server with --trusted-ca-file), an IAM
#     OIDC provider whose URL has a port and a path, a role trusting it on `:sub` and `:aud`; RS256 and ES256 tokens
#     minted with openssl are exchanged with the AWS CLI v2, boto3's client and boto3's web-identity credential
#     provider (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, AWS_ENDPOINT_URL_STS, no other credentials). Expired and
#     not-yet-valid tokens, a wrong audience or issuer, alg none, HS256 keyed with the public key, another key under
#     the same kid, keys offered by `jku` or `jwk` headers, a subject the role does not trust, a malformed token and a
#     provider whose thumbprint its untrusted server does not present each get AWS's error. TLS trust is AWS's rule
#     (IAM API Reference, CreateOpenIDConnectProvider): a CA-trusted issuer is accepted with a stale thumbprint, and a
#     self-signed issuer that is not in --trusted-ca-file is accepted with its own thumbprint;
#   * SAML 2.0: an identity provider's metadata registered with create-saml-provider, roles trusting it, responses
#     signed by xmlsec1 exchanged with the AWS CLI v2 and boto3. A replay for the same role, a NameID changed after
#     signing or with a comment put in, an unsigned, expired, wrongly addressed or DOCTYPE-carrying response and a
#     signature-wrapping one are each refused with AWS's error.
# The attacks run in one boto3 process to keep the script fast; the attacker's own HTTPS listener (named by a `jku`
# header and serving the attacker's key) must see no request at all.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

e2e_name=federation
source e2e/lib/node.bash
source e2e/lib/python.bash
py="$(boto3_python)" || fail "no python3 here has boto3 with botocore 1.31 or later (./run-tests installs one)"
export AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true

b64url() { basenc --base64url -w0 | tr -d '='; }
quiet() { "$@" 2>"$work/openssl.err" || fail "$1 $2: $(cat "$work/openssl.err")"; }
now="$(date +%s)"
instant() { date -u -d "@$((now + $1))" +%Y-%m-%dT%H:%M:%SZ; }

# ---- a private CA, the issuer's TLS certificate (for 127.0.0.1 and localhost), and the keys that sign

quiet openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/ca.key" \
    -out "$work/ca.pem" -days 1 -subj "/CN=OpenSTS e2e private CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
quiet openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/tls.key" \
    -out "$work/tls.csr" -subj /CN=127.0.0.1
printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' 'basicConstraints=critical,CA:FALSE' \
    'keyUsage=critical,digitalSignature' 'extendedKeyUsage=serverAuth' >"$work/tls.ext"
quiet openssl x509 -req -in "$work/tls.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 1 \
    -extfile "$work/tls.ext" -out "$work/leaf.pem"
cat "$work/leaf.pem" "$work/ca.pem" >"$work/tls.pem"

# The server starts while the keys, tokens and assertions are made; they depend on nothing it decides.
account=123456789012
launch_server --trusted-ca-file "$work/ca.pem" --account-id "$account"
for key in signing attacker idp; do
    quiet openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/$key.key"
done
quiet openssl rsa -in "$work/signing.key" -pubout -out "$work/signing.pub"
quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/signing-ec.key"

# jwk KEY KID: the RSA public key as a JWK, from the modulus and exponent openssl prints.
jwk() {
    local n e
    n="$(openssl rsa -in "$1" -noout -modulus | cut -d= -f2 | basenc --base16 -d | b64url)"
    e="$(openssl rsa -in "$1" -noout -text | sed -n 's/^publicExponent: [0-9]* (0x\([0-9a-fA-F]*\))$/\1/p')"
    [ $(( ${#e} % 2 )) -eq 0 ] || e="0$e"
    e="$(printf '%s' "${e^^}" | basenc --base16 -d | b64url)"
    jq -cn --arg n "$n" --arg e "$e" --arg kid "$2" '{kty: "RSA", use: "sig", alg: "RS256", kid: $kid, n: $n, e: $e}'
}
# ec_jwk KEY KID: the P-256 public key as a JWK; its DER form ends with the point's x and y, 32 bytes each.
ec_jwk() {
    local point
    point="$(openssl pkey -in "$1" -pubout -outform DER | tail -c 64 | basenc --base16 -w0)"
    jq -cn --arg x "$(printf '%s' "${point:0:64}" | basenc --base16 -d | b64url)" \
        --arg y "$(printf '%s' "${point:64}" | basenc --base16 -d | b64url)" --arg kid "$2" \
        '{kty: "EC", use: "sig", alg: "ES256", crv: "P-256", kid: $kid, x: $x, y: $y}'
}
jq -cn --argjson rsa "$(jwk "$work/signing.key" e2e-1)" --argjson ec "$(ec_jwk "$work/signing-ec.key" e2e-ec-1)" \
    '{keys: [$rsa, $ec]}' >"$work/jwks.json"
jq -cn --argjson key "$(jwk "$work/attacker.key" attacker-1)" '{keys: [$key]}' >"$work/attacker-jwks.json"

# ---- the OIDC issuer, at a URL with a port and a path; a second one on the same server, /tenants/stale, is
# registered with a thumbprint of no certificate its server presents, which AWS ignores for a CA-trusted server. A
# second server, whose self-signed certificate is in no trusted CA bundle, serves /tenants/private (registered with
# that certificate's thumbprint) and /tenants/private-wrong (registered with another thumbprint).

"$py" e2e/lib/oidc_issuer.py "$work" /tenants/e2e /tenants/stale >"$work/issuer.err" 2>&1 &
background_pids+=($!)
mkdir "$work/private"
quiet openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/private/tls.key" \
    -out "$work/private/tls.pem" -days 1 -subj /CN=127.0.0.1 -addext 'subjectAltName=IP:127.0.0.1,DNS:localhost'
cp "$work/jwks.json" "$work/attacker-jwks.json" "$work/private/"
"$py" e2e/lib/oidc_issuer.py "$work/private" /tenants/private /tenants/private-wrong >"$work/private/issuer.err" 2>&1 &
background_pids+=($!)
for _ in $(seq 1 100); do [ -f "$work/ports" ] && [ -f "$work/private/ports" ] && break; sleep 0.1; done
[ -f "$work/ports" ] || fail "the OIDC issuer did not start: $(cat "$work/issuer.err")"
[ -f "$work/private/ports" ] || fail "the self-signed OIDC issuer did not start: $(cat "$work/private/issuer.err")"
read -r issuer_port attacker_port <"$work/ports"
read -r private_port _ <"$work/private/ports"
private="https://127.0.0.1:$private_port/tenants/private"
issuer="https://127.0.0.1:$issuer_port/tenants/e2e"
provider_id="127.0.0.1:$issuer_port/tenants/e2e"
[ "$(curl -fsS --cacert "$work/ca.pem" "$issuer/.well-known/openid-configuration" | jq -r .issuer)" = "$issuer" ] \
    || fail "the issuer's discovery document is not served over HTTPS with the private CA"
: >"$work/issuer.log"
[ "$(curl -fsS --cacert "$work/private/tls.pem" "$private/.well-known/openid-configuration" | jq -r .issuer)" \
    = "$private" ] || fail "the self-signed issuer's discovery document is not served over HTTPS"
curl -fsS --cacert "$work/ca.pem" "$private/.well-known/openid-configuration" >/dev/null 2>&1 \
    && fail "the self-signed issuer's certificate is trusted by the private CA given to the server"
: >"$work/private/issuer.log"

subject=system:serviceaccount:e2e:app
# jws HEADER CLAIMS KEY: a JWS signed with RS256 by openssl.
jws() {
    local input
    input="$(printf '%s' "$1" | b64url).$(printf '%s' "$2" | b64url)"
    printf '%s.%s' "$input" "$(printf '%s' "$input" | openssl dgst -sha256 -sign "$3" -binary | b64url)"
}
# jws_es256 HEADER CLAIMS KEY: a JWS signed with ES256 by openssl, whose DER signature becomes JOSE's r || s.
jws_es256() {
    local input integers r s
    input="$(printf '%s' "$1" | b64url).$(printf '%s' "$2" | b64url)"
    integers="$(printf '%s' "$input" | openssl dgst -sha256 -sign "$3" -binary | openssl asn1parse -inform DER \
        | sed -n 's/.*INTEGER *://p')"
    r="$(printf '%064s' "$(head -1 <<<"$integers")" | tr ' ' 0)"
    s="$(printf '%064s' "$(tail -1 <<<"$integers")" | tr ' ' 0)"
    printf '%s.%s' "$input" "$(printf '%s%s' "${r: -64}" "${s: -64}" | basenc --base16 -d | b64url)"
}
# claims [JQ]: the claims of a good token, changed by the jq filter JQ.
claims() {
    jq -cn --arg iss "$issuer" --arg sub "$subject" --argjson now "$now" \
        "{iss: \$iss, sub: \$sub, aud: \"sts.amazonaws.com\", iat: \$now, nbf: \$now, exp: (\$now + 600)} ${1:-}"
}
header='{"alg":"RS256","typ":"JWT","kid":"e2e-1"}'
jws "$header" "$(claims)" "$work/signing.key" >"$work/good.jwt"
jws_es256 '{"alg":"ES256","typ":"JWT","kid":"e2e-ec-1"}' "$(claims)" "$work/signing-ec.key" >"$work/good-es256.jwt"
jws "$header" "$(claims '| .iat = $now - 1200 | .nbf = $now - 1200 | .exp = $now - 600')" "$work/signing.key" \
    >"$work/expired.jwt"
jws "$header" "$(claims '| .iat = $now + 900 | .nbf = $now + 900 | .exp = $now + 1500')" "$work/signing.key" \
    >"$work/not-yet-valid.jwt"
jws "$header" "$(claims '| .aud = "another-client"')" "$work/signing.key" >"$work/wrong-audience.jwt"
jws "$header" "$(claims "| .iss = \"https://127.0.0.1:$issuer_port/tenants/other\"")" "$work/signing.key" \
    >"$work/wrong-issuer.jwt"
jws "$header" "$(claims '| .sub = "system:serviceaccount:e2e:intruder"')" "$work/signing.key" \
    >"$work/other-subject.jwt"
printf '%s.%s.' "$(printf '{"alg":"none","typ":"JWT"}' | b64url)" "$(claims | b64url)" >"$work/alg-none.jwt"
# HS256 keyed with the provider's own public key, the algorithm-confusion attack.
input="$(printf '{"alg":"HS256","typ":"JWT","kid":"e2e-1"}' | b64url).$(claims | b64url)"
printf '%s.%s' "$input" "$(printf '%s' "$input" | openssl dgst -sha256 -mac HMAC \
    -macopt "hexkey:$(basenc --base16 -w0 <"$work/signing.pub")" -binary | b64url)" >"$work/hs256-public-key.jwt"
jws "$header" "$(claims)" "$work/attacker.key" >"$work/other-key-same-kid.jwt"
jws "$(jq -cn --arg jku "https://127.0.0.1:$attacker_port/jwks.json" \
    '{alg: "RS256", typ: "JWT", kid: "attacker-1", jku: $jku}')" "$(claims)" "$work/attacker.key" >"$work/jku.jwt"
jws "$(jq -cn --argjson jwk "$(jwk "$work/attacker.key" attacker-1)" \
    '{alg: "RS256", typ: "JWT", kid: "attacker-1", jwk: $jwk}')" "$(claims)" "$work/attacker.key" >"$work/jwk.jwt"
printf 'not-a-jwt.%s' "$(claims | b64url)" >"$work/malformed.jwt"
jws "$header" "$(claims "| .iss = \"https://127.0.0.1:$issuer_port/tenants/stale\"")" "$work/signing.key" \
    >"$work/stale-thumbprint.jwt"
jws "$header" "$(claims "| .iss = \"$private\"")" "$work/signing.key" >"$work/private-thumbprint.jwt"
jws "$header" "$(claims "| .iss = \"$private-wrong\"")" "$work/signing.key" >"$work/thumbprint-mismatch.jwt"

# ---- SAML: the identity provider's certificate and metadata, and responses for alice signed by xmlsec1

entity_id=https://idp.e2e.test/saml
quiet openssl req -x509 -key "$work/idp.key" -out "$work/idp.pem" -days 1 -subj "/CN=idp.e2e.test"
idp_certificate="$(sed '/-----/d' "$work/idp.pem" | tr -d '\n')"
cat >"$work/metadata.xml" <<XML
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="$entity_id">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data><ds:X509Certificate>$idp_certificate</ds:X509Certificate></ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.e2e.test/saml/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
XML
saml_name=corporate-idp
saml_arn="arn:aws:iam::$account:saml-provider/$saml_name"
saml_role="arn:aws:iam::$account:role/engineers"
auditors_role="arn:aws:iam::$account:role/auditors"
password_protected_transport=urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport

# saml NAME [VARIABLE=VALUE...]: writes NAME.xml, a SAML Response for alice signed on its Assertion by xmlsec1, and
# NAME.b64; the variables change what a good response says (signed=no leaves the Assertion unsigned).
saml() {
    local name="$1" id="_$1-$RANDOM$RANDOM" issued="$(instant 0)" not_before="$(instant -60)"
    local not_after="$(instant 300)"
    local recipient=https://signin.aws.amazon.com/saml audience=urn:amazon:webservices signed=yes name_id=alice
    local role_value="$saml_role,$saml_arn" second_role_value="$auditors_role,$saml_arn"
    shift
    local assignment
    for assignment in "$@"; do local "$assignment"; done
    local signature=""
    [ "$signed" = no ] || signature='<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>
      <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
      <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
      <ds:Reference URI="#'"$id"'"><ds:Transforms>
        <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
        <ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>
        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>
      </ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>'
    cat >"$work/$name.template.xml" <<XML
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"
    ID="_response$id" Version="2.0" IssueInstant="$issued" Destination="$recipient">
  <saml:Issuer>$entity_id</saml:Issuer>
  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
  <saml:Assertion ID="$id" Version="2.0" IssueInstant="$issued">
    <saml:Issuer>$entity_id</saml:Issuer>
    $signature
    <saml:Subject>
      <saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">$name_id</saml:NameID>
      <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <saml:SubjectConfirmationData NotOnOrAfter="$not_after" Recipient="$recipient"/>
      </saml:SubjectConfirmation>
    </saml:Subject>
    <saml:Conditions NotBefore="$not_before" NotOnOrAfter="$not_after">
      <saml:AudienceRestriction><saml:Audience>$audience</saml:Audience></saml:AudienceRestriction>
    </saml:Conditions>
    <saml:AuthnStatement AuthnInstant="$issued" SessionIndex="$id">
      <saml:AuthnContext>
        <saml:AuthnContextClassRef>$password_protected_transport</saml:AuthnContextClassRef>
      </saml:AuthnContext>
    </saml:AuthnStatement>
    <saml:AttributeStatement>
      <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role">
        <saml:AttributeValue>$role_value</saml:AttributeValue>
        <saml:AttributeValue>$second_role_value</saml:AttributeValue>
      </saml:Attribute>
      <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName">
        <saml:AttributeValue>alice@e2e.test</saml:AttributeValue>
      </saml:Attribute>
      <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/PrincipalTag:Department">
        <saml:AttributeValue>engineering</saml:AttributeValue>
      </saml:Attribute>
      <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/SourceIdentity">
        <saml:AttributeValue>alice</saml:AttributeValue>
      </saml:Attribute>
    </saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>
XML
    if [ "$signed" = no ]; then
        cp "$work/$name.template.xml" "$work/$name.xml"
    else
        xmlsec1 --sign --privkey-pem "$work/idp.key,$work/idp.pem" \
            --id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion \
            --output "$work/$name.xml" "$work/$name.template.xml" 2>"$work/xmlsec.err" \
            || fail "xmlsec1 --sign $name: $(cat "$work/xmlsec.err")"
    fi
    base64 -w0 "$work/$name.xml" >"$work/$name.b64"
}
# rebase NAME: NAME.b64 again, from NAME.xml as changed after signing.
rebase() { base64 -w0 "$work/$1.xml" >"$work/$1.b64"; }

saml cli
saml boto3 role_value="$saml_arn,$saml_role" second_role_value="$saml_arn,$auditors_role"
saml tampered-name-id
sed -i 's|>alice</saml:NameID>|>admin</saml:NameID>|' "$work/tampered-name-id.xml"
rebase tampered-name-id
saml unsigned signed=no
saml expired issued="$(instant -900)" not_before="$(instant -960)" not_after="$(instant -600)"
saml wrong-audience audience=https://sp.example.test/not-aws
saml wrong-recipient recipient=https://sp.example.test/saml
# A DOCTYPE whose external entity names a local file; neither the file nor any error may echo its content.
echo "xxe-secret-$RANDOM$RANDOM" >"$work/secret.txt"
saml xxe
sed -i "/^<?xml /a <!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM \"file://$work/secret.txt\">]>" "$work/xxe.xml"
sed -i 's|>alice@e2e.test<|>\&xxe;<|' "$work/xxe.xml"
rebase xxe
# Comment injection: the IdP signed the subject alice.evil; a comment put in after signing leaves the signature valid
# (exclusive c14n drops comments), and a reader that takes the first text node would see alice, whom the role trusts.
saml comment-in-name-id name_id=alice.evil
sed -i 's|>alice.evil</saml:NameID>|>alice<!---->.evil</saml:NameID>|' "$work/comment-in-name-id.xml"
grep -q '>alice<!---->.evil</saml:NameID>' "$work/comment-in-name-id.xml" || fail "the comment was not put in"
rebase comment-in-name-id
# Signature wrapping: an unsigned copy of the Assertion, with another session name and tag, is put before the
# untouched signed one (whose signature still verifies).
saml wrapped
awk '/<saml:Assertion /{start = 1} start {block = block $0 "\n"} /<\/saml:Assertion>/{start = 0}
    END {printf "%s", block}' "$work/wrapped.xml" | sed '/<ds:Signature/,/<\/ds:Signature>/d' \
    | sed 's|>alice@e2e.test<|>mallory<|; s|>engineering<|>admins<|; s|ID="_wrapped|ID="_evil|' >"$work/evil.xml"
awk -v evil="$work/evil.xml" '/<saml:Assertion / && !done {while ((getline line < evil) > 0) print line; done = 1}
    {print}' "$work/wrapped.xml" >"$work/wrapped.tmp" && mv "$work/wrapped.tmp" "$work/wrapped.xml"
rebase wrapped
[ "$(grep -c '<saml:Assertion ' "$work/wrapped.xml")" = 2 ] || fail "the wrapped response was not built"

# ---- IAM, with the admin credentials: each provider, and the roles that trust it. The three sequences of calls
# are independent and run side by side.

oidc_arn="arn:aws:iam::$account:oidc-provider/$provider_id"
web_role="arn:aws:iam::$account:role/web-app"
thumbprint() { openssl x509 -in "$1" -noout -fingerprint -sha1 | cut -d= -f2 | tr -d : | tr A-F a-f; }
# step NAME COMMAND...: runs COMMAND with its output in NAME.out; if it fails, says so, with its error, in iam.failed.
step() {
    local name="$1"
    shift
    "$@" >"$work/$name.out" 2>"$work/$name.err" && return 0
    echo "$name: $(cat "$work/$name.err")" >>"$work/iam.failed"
    return 1
}

await_server
{
    step oidc-provider admin iam create-open-id-connect-provider --url "$issuer" --client-id-list sts.amazonaws.com \
        --thumbprint-list "$(thumbprint "$work/ca.pem")" --query OpenIDConnectProviderArn --output text &&
    step web-app-role admin iam create-role --role-name web-app --assume-role-policy-document "$(jq -cn \
        --arg p "$oidc_arn" --arg sub "$provider_id:sub" --arg aud "$provider_id:aud" --arg subject "$subject" \
        '{Version: "2012-10-17", Statement: [{Effect: "Allow", Principal: {Federated: $p},
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {StringEquals: {($sub): $subject, ($aud): "sts.amazonaws.com"}}}]}')"
} &
iam_pids=($!)
pinned_role="arn:aws:iam::$account:role/pinned-app"
{
    step stale-provider admin iam create-open-id-connect-provider \
        --url "https://127.0.0.1:$issuer_port/tenants/stale" --client-id-list sts.amazonaws.com \
        --thumbprint-list "$(thumbprint "$work/idp.pem")" &&
    step private-provider admin iam create-open-id-connect-provider --url "$private" \
        --client-id-list sts.amazonaws.com --thumbprint-list "$(thumbprint "$work/private/tls.pem")" &&
    step private-wrong-provider admin iam create-open-id-connect-provider --url "$private-wrong" \
        --client-id-list sts.amazonaws.com --thumbprint-list "$(thumbprint "$work/ca.pem")" &&
    step pinned-app-role admin iam create-role --role-name pinned-app --assume-role-policy-document "$(jq -cn \
        --arg stale "arn:aws:iam::$account:oidc-provider/127.0.0.1:$issuer_port/tenants/stale" \
        --arg private "arn:aws:iam::$account:oidc-provider/${private#https://}" \
        --arg wrong "arn:aws:iam::$account:oidc-provider/${private#https://}-wrong" \
        '{Version: "2012-10-17", Statement: [{Effect: "Allow", Principal: {Federated: [$stale, $private, $wrong]},
        Action: "sts:AssumeRoleWithWebIdentity"}]}')"
} &
iam_pids+=($!)
{
    step saml-provider admin iam create-saml-provider --name "$saml_name" \
        --saml-metadata-document "file://$work/metadata.xml" --query SAMLProviderArn --output text &&
    step engineers-role admin iam create-role --role-name engineers --assume-role-policy-document "$(jq -cn \
        --arg p "$saml_arn" '{Version: "2012-10-17", Statement: [{Effect: "Allow", Principal: {Federated: $p},
        Action: ["sts:AssumeRoleWithSAML", "sts:TagSession", "sts:SetSourceIdentity"],
        Condition: {StringEquals: {"SAML:aud": "https://signin.aws.amazon.com/saml", "saml:sub": "alice"}}}]}')" &&
    step auditors-role admin iam create-role --role-name auditors --assume-role-policy-document "$(jq -cn \
        --arg p "$saml_arn" '{Version: "2012-10-17", Statement: [{Effect: "Allow", Principal: {Federated: $p},
        Action: ["sts:AssumeRoleWithSAML", "sts:TagSession", "sts:SetSourceIdentity"]}]}')"
} &
iam_pids+=($!)
for pid in "${iam_pids[@]}"; do wait "$pid" || true; done
[ ! -e "$work/iam.failed" ] || fail "$(cat "$work/iam.failed")"
[ "$(cat "$work/oidc-provider.out")" = "$oidc_arn" ] || fail "unexpected provider ARN $(cat "$work/oidc-provider.out")"
[ "$(cat "$work/saml-provider.out")" = "$saml_arn" ] || fail "unexpected provider ARN $(cat "$work/saml-provider.out")"

# ---- the AWS CLI v2: exchange a token and an assertion, use the credentials

# use_credentials FILE: get-caller-identity's ARN with the credentials of FILE, an assume-role-with-* response.
use_credentials() {
    AWS_ACCESS_KEY_ID="$(jq -r .Credentials.AccessKeyId "$1")" \
        AWS_SECRET_ACCESS_KEY="$(jq -r .Credentials.SecretAccessKey "$1")" \
        AWS_SESSION_TOKEN="$(jq -r .Credentials.SessionToken "$1")" \
        "$aws" --endpoint-url "$endpoint" sts get-caller-identity --query Arn --output text
}

"$aws" --endpoint-url "$endpoint" sts assume-role-with-web-identity --role-arn "$web_role" \
    --role-session-name cli --web-identity-token "file://$work/good.jwt" >"$work/web-cli.json" 2>"$work/err.txt" \
    || fail "assume-role-with-web-identity with the CLI: $(cat "$work/err.txt")"
web_fields() {
    jq -r '[.SubjectFromWebIdentityToken, .Provider, .Audience, .AssumedRoleUser.Arn,
        (.AssumedRoleUser.AssumedRoleId | test("^AROA[A-Z0-9]+:'"$2"'$")), (.Credentials.AccessKeyId | test("^ASIA"))]
        | map(tostring) | join(" ")' "$1"
}
want="$subject $oidc_arn sts.amazonaws.com arn:aws:sts::$account:assumed-role/web-app/cli true true"
[ "$(web_fields "$work/web-cli.json" cli)" = "$want" ] \
    || fail "assume-role-with-web-identity answered $(cat "$work/web-cli.json")"
# The session lasts the default hour, however soon the token expires.
expiration="$(date -d "$(jq -r .Credentials.Expiration "$work/web-cli.json")" +%s)" \
    || fail "no Expiration in $(cat "$work/web-cli.json")"
[ $((expiration - now)) -ge 3540 ] && [ $((expiration - now)) -le 3660 ] \
    || fail "the web identity session expires $((expiration - now)) seconds from now, not in an hour"
[ "$(use_credentials "$work/web-cli.json")" = "arn:aws:sts::$account:assumed-role/web-app/cli" ] \
    || fail "get-caller-identity with the web identity session"
"$aws" --endpoint-url "$endpoint" sts assume-role-with-saml --role-arn "$saml_role" --principal-arn "$saml_arn" \
    --saml-assertion "file://$work/cli.b64" >"$work/saml-cli.json" 2>"$work/err.txt" \
    || fail "assume-role-with-saml with the CLI: $(cat "$work/err.txt")"
name_qualifier="$(printf '%s' "$entity_id$account/$saml_name" | openssl dgst -sha1 -binary | base64)"
saml_fields() {
    jq -r '[.Subject, .SubjectType, .Issuer, .Audience, .NameQualifier, .SourceIdentity, .AssumedRoleUser.Arn,
        (.AssumedRoleUser.AssumedRoleId | test("^AROA[A-Z0-9]+:alice@e2e.test$"))] | map(tostring) | join(" ")' "$1"
}
want="alice persistent $entity_id https://signin.aws.amazon.com/saml $name_qualifier alice"
want+=" arn:aws:sts::$account:assumed-role/engineers/alice@e2e.test true"
[ "$(saml_fields "$work/saml-cli.json")" = "$want" ] \
    || fail "assume-role-with-saml answered $(cat "$work/saml-cli.json")"

# ---- boto3: the same exchanges (each session then calling GetCallerIdentity), then every attack, in one process

{
    printf '%s\tweb\t%s\t%s\t%s\n' good "$web_role" boto3 "$work/good.jwt"
    printf '%s\tweb\t%s\t%s\t%s\n' good-es256 "$web_role" boto3-es256 "$work/good-es256.jwt"
    printf '%s\tweb\t%s\t%s\t%s\n' stale-thumbprint "$pinned_role" stale "$work/stale-thumbprint.jwt"
    printf '%s\tweb\t%s\t%s\t%s\n' private-thumbprint "$pinned_role" private "$work/private-thumbprint.jwt"
    for attack in expired not-yet-valid wrong-audience wrong-issuer alg-none hs256-public-key other-key-same-kid jku \
        jwk other-subject malformed; do
        printf '%s\tweb\t%s\t%s\t%s\n' "$attack" "$web_role" attack "$work/$attack.jwt"
    done
    printf '%s\tweb\t%s\t%s\t%s\n' thumbprint-mismatch "$pinned_role" attack "$work/thumbprint-mismatch.jwt"
    printf '%s\tsaml\t%s\t%s\t%s\n' saml-good "$saml_role" "$saml_arn" "$work/boto3.b64"
    printf '%s\tsaml\t%s\t%s\t%s\n' saml-replay "$saml_role" "$saml_arn" "$work/cli.b64"
    printf '%s\tsaml\t%s\t%s\t%s\n' saml-other-role "$auditors_role" "$saml_arn" "$work/cli.b64"
    for attack in tampered-name-id comment-in-name-id unsigned expired wrong-audience wrong-recipient xxe wrapped; do
        printf '%s\tsaml\t%s\t%s\t%s\n' "saml-$attack" "$saml_role" "$saml_arn" "$work/$attack.b64"
    done
} >"$work/calls.tsv"
"$py" e2e/lib/sts_calls.py "$endpoint" <"$work/calls.tsv" >"$work/results.tsv" 2>"$work/err.txt" \
    || fail "boto3: $(cat "$work/err.txt")"
result() { awk -F'\t' -v name="$1" '$1 == name {sub(/^[^\t]*\t/, ""); print}' "$work/results.tsv"; }

result good >"$work/web-boto3.json"
want="$subject $oidc_arn sts.amazonaws.com arn:aws:sts::$account:assumed-role/web-app/boto3 true true"
[ "$(web_fields "$work/web-boto3.json" boto3 2>/dev/null)" = "$want" ] \
    || fail "boto3 assume_role_with_web_identity answered $(result good)"
[ "$(jq -r .CallerArn "$work/web-boto3.json")" = "arn:aws:sts::$account:assumed-role/web-app/boto3" ] \
    || fail "get_caller_identity with the boto3 web identity session"
[ "$(result good-es256 | jq -r .CallerArn 2>/dev/null)" = "arn:aws:sts::$account:assumed-role/web-app/boto3-es256" ] \
    || fail "boto3 assume_role_with_web_identity with an ES256 token answered $(result good-es256)"
result saml-good >"$work/saml-boto3.json"
want="alice persistent $entity_id https://signin.aws.amazon.com/saml $name_qualifier alice"
want+=" arn:aws:sts::$account:assumed-role/engineers/alice@e2e.test true"
[ "$(saml_fields "$work/saml-boto3.json" 2>/dev/null)" = "$want" ] \
    || fail "boto3 assume_role_with_saml (Role value in provider,role order) answered $(result saml-good)"
[ "$(jq -r .CallerArn "$work/saml-boto3.json")" = "arn:aws:sts::$account:assumed-role/engineers/alice@e2e.test" ] \
    || fail "get_caller_identity with the SAML session"
# AWS's TLS rule: a CA-trusted issuer is used whatever its thumbprints; another one, through its thumbprint.
for name in stale private; do
    [ "$(result "$name-thumbprint" | jq -r .CallerArn 2>/dev/null)" = \
        "arn:aws:sts::$account:assumed-role/pinned-app/$name" ] \
        || fail "the $name-thumbprint issuer's token was not accepted: $(result "$name-thumbprint")"
done
# The assertion the CLI redeemed for engineers is refused for engineers again (saml-replay, below), but redeems once
# for the other role it lists.
[ "$(result saml-other-role | jq -r .AssumedRoleUser.Arn 2>/dev/null)" = \
    "arn:aws:sts::$account:assumed-role/auditors/alice@e2e.test" ] \
    || fail "the CLI's assertion, redeemed for the other role it lists: $(result saml-other-role)"

# expect NAME STATUS CODE [MESSAGE]: the call NAME failed with AWS's HTTP status, error code and message.
failures=()
expect() {
    local got tab=$'\t'
    got="$(result "$1")"
    if [[ "$got" != "error$tab$2$tab$3$tab"* ]] || [[ -n "${4:-}" && "$got" != *"$4"* ]]; then
        failures+=("$1: expected $2 $3${4:+ \"$4\"}, got: $got")
    fi
}
expect expired 400 ExpiredTokenException "Token expired: current date/time "
expect not-yet-valid 400 InvalidIdentityToken
expect thumbprint-mismatch 400 InvalidIdentityToken \
    "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint"
expect wrong-audience 400 InvalidIdentityToken "Incorrect token audience"
expect wrong-issuer 400 InvalidIdentityToken \
    "No OpenIDConnect provider found in your account for https://127.0.0.1:$issuer_port/tenants/other"
expect alg-none 400 InvalidIdentityToken
expect hs256-public-key 400 InvalidIdentityToken
expect other-key-same-kid 400 InvalidIdentityToken
expect jku 400 InvalidIdentityToken
expect jwk 400 InvalidIdentityToken
expect other-subject 403 AccessDenied "Not authorized to perform sts:AssumeRoleWithWebIdentity"
expect malformed 400 InvalidIdentityToken
expect saml-replay 400 InvalidIdentityToken
expect saml-tampered-name-id 400 InvalidIdentityToken "Response signature invalid"
# AWS's answer to this one is not documented: refused as malformed, or read whole and then not trusted.
[[ "$(result saml-comment-in-name-id)" == error$'\t'400$'\t'InvalidIdentityToken$'\t'* ||
    "$(result saml-comment-in-name-id)" == error$'\t'403$'\t'AccessDenied$'\t'* ]] \
    || failures+=("saml-comment-in-name-id: expected InvalidIdentityToken or AccessDenied, got: $(result \
        saml-comment-in-name-id)")
expect saml-unsigned 400 InvalidIdentityToken
expect saml-expired 400 ExpiredTokenException "Token must be redeemed within 5 minutes of issuance"
expect saml-wrong-audience 400 InvalidIdentityToken "Response does not contain the required audience"
expect saml-wrong-recipient 400 InvalidIdentityToken
expect saml-xxe 400 InvalidIdentityToken
expect saml-wrapped 400 InvalidIdentityToken
[ ${#failures[@]} -eq 0 ] || fail "$(printf '\n  %s' "${failures[@]}")"
if grep -q -f "$work/secret.txt" "$work/results.tsv" "$work/server.log" "$work/data/audit.log" 2>/dev/null; then
    fail "the XXE payload's file content was echoed or logged"
fi
[ ! -e "$work/attacker.log" ] || fail "the server fetched a key from a token's header: $(cat "$work/attacker.log")"
if grep -v -x -e /tenants/e2e/.well-known/openid-configuration -e /tenants/e2e/jwks \
        -e /tenants/stale/.well-known/openid-configuration -e /tenants/stale/jwks "$work/issuer.log"; then
    fail "the server asked the issuer for something other than discovery and the JWKS"
fi
# The self-signed server's certificate matches no thumbprint of /tenants/private-wrong: the handshake fails, so that
# issuer is asked nothing at all.
if grep -v -x -e /tenants/private/.well-known/openid-configuration -e /tenants/private/jwks \
        "$work/private/issuer.log"; then
    fail "the server asked the self-signed issuer for something other than /tenants/private's discovery and JWKS"
fi
grep -q -x /tenants/private/jwks "$work/private/issuer.log" || fail "the self-signed issuer's JWKS was not fetched"

# ---- boto3's web-identity credential provider, configured by the environment alone

arn="$(AWS_WEB_IDENTITY_TOKEN_FILE="$work/good.jwt" AWS_ROLE_ARN="$web_role" AWS_ROLE_SESSION_NAME=provider \
    AWS_ENDPOINT_URL_STS="$endpoint" "$py" -c '
import boto3
session = boto3.Session()
method = session.get_credentials().method
assert method == "assume-role-with-web-identity", method
print(session.client("sts").get_caller_identity()["Arn"])' 2>"$work/err.txt")" \
    || fail "boto3's web-identity provider: $(cat "$work/err.txt")"
[ "$arn" = "arn:aws:sts::$account:assumed-role/web-app/provider" ] || fail "boto3's web-identity provider: $arn"

for file in good.jwt expired.jwt cli.b64 boto3.b64; do
    content="$(cat "$work/$file")"
    if grep -q -F -- "${content:$(( ${#content} / 2 )):64}" "$work/server.log" "$work/data/audit.log"; then
        fail "a web identity token or SAML assertion ($file) was logged"
    fi
done
# A refused signature is the caller's problem, answered already; it is no warning for the operator's log.
if grep -q -e "Expected Digest" -e "Verification failed" "$work/server.log"; then
    fail "the server log warns of signatures an attacker sent: $(grep -m1 -e Digest -e Verification "$work/server.log")"
fi
echo "e2e/federation: ok (OIDC and SAML through the AWS CLI, boto3 and boto3's web-identity provider; OIDC" \
    "TLS trusted by CA or by thumbprint; 21 attacks refused)"
