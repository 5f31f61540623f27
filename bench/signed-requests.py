"""Signs the requests bench/server-load.sh and bench/soak.sh replay with wrk.

Each request is made once for real with the AWS SDK for Python, and the HTTP request it sent (method, path, headers,
form body, SigV4 signature) is captured and written out, so that wrk replays what an SDK sends. A signature stays valid
for the 15 minutes of clock skew the node allows; the scripts sign again at every start.

    python3 bench/signed-requests.py ENDPOINT ADMIN-CREDENTIALS-FILE OUTPUT-DIRECTORY

Writes, for each request NAME: NAME.lua (sets wrk.method, wrk.body and wrk.headers), NAME.url (the same call as a
presigned GET, for the STS calls) and requests.lua (every request as a Lua table, for a script that mixes them).
"""
import configparser
import json
import sys
from urllib.parse import urlsplit

import boto3

endpoint, credentials, work = sys.argv[1:4]
config = configparser.ConfigParser()
config.read(credentials)
admin = dict(aws_access_key_id=config["default"]["aws_access_key_id"],
             aws_secret_access_key=config["default"]["aws_secret_access_key"])
role_arn = "arn:aws:iam::123456789012:role/demo"


def client(service, **keys):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", **keys)


sts = client("sts", **admin)
session = sts.assume_role(RoleArn=role_arn, RoleSessionName="bench", DurationSeconds=3600)["Credentials"]
temporary = dict(aws_access_key_id=session["AccessKeyId"], aws_secret_access_key=session["SecretAccessKey"],
                 aws_session_token=session["SessionToken"])
session_sts = client("sts", **temporary)
session_iam = client("iam", **temporary)

captured = {}


def capture(name, sdk_client, operation, **params):
    """Makes the call, keeping the request the SDK sent (its first attempt)."""
    sent = []

    def keep(request, **_):
        if not sent:
            sent.append(request)

    sdk_client.meta.events.register("before-send", keep)
    try:
        getattr(sdk_client, operation)(**params)
    finally:
        sdk_client.meta.events.unregister("before-send", keep)
    request = sent[0]
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode()
    url = urlsplit(request.url)
    headers = {}
    for header, value in request.headers.items():
        # wrk writes Host from the URL (the same value) and Content-Length from the body.
        if header.lower() in ("host", "content-length"):
            continue
        headers[header] = value.decode() if isinstance(value, bytes) else value
    captured[name] = dict(method=request.method, path=(url.path or "/") + (f"?{url.query}" if url.query else ""),
                          headers=headers, body=body.decode())


capture("caller-identity-long-term-key", sts, "get_caller_identity")
capture("caller-identity-session", session_sts, "get_caller_identity")
capture("assume-role", sts, "assume_role", RoleArn=role_arn, RoleSessionName="bench")
capture("get-role-session", session_iam, "get_role", RoleName="demo")
capture("list-roles-session", session_iam, "list_roles")


def lua(value):
    return json.dumps(value)  # a JSON string of ASCII text is a valid Lua string literal


for name, request in captured.items():
    with open(f"{work}/{name}.lua", "w") as script:
        script.write(f"wrk.method = {lua(request['method'])}\n")
        script.write(f"wrk.path = {lua(request['path'])}\n")
        script.write(f"wrk.body = {lua(request['body'])}\n")
        for header, value in request["headers"].items():
            script.write(f"wrk.headers[{lua(header)}] = {lua(value)}\n")

with open(f"{work}/requests.lua", "w") as script:
    script.write("bench_requests = {}\n")
    for name, request in captured.items():
        headers = ", ".join(f"[{lua(h)}] = {lua(v)}" for h, v in request["headers"].items())
        script.write(f"bench_requests[{lua(name)}] = {{ method = {lua(request['method'])}, "
                     f"path = {lua(request['path'])}, headers = {{ {headers} }}, body = {lua(request['body'])} }}\n")

# Presigned URLs are signed for GET, the method wrk replays (botocore signs for the model's POST unless told otherwise).
urls = {
    "caller-identity-long-term-key": sts.generate_presigned_url("get_caller_identity", ExpiresIn=900,
                                                                HttpMethod="GET"),
    "caller-identity-session": session_sts.generate_presigned_url("get_caller_identity", ExpiresIn=900,
                                                                  HttpMethod="GET"),
    "assume-role": sts.generate_presigned_url("assume_role", ExpiresIn=900, HttpMethod="GET", Params={
        "RoleArn": role_arn, "RoleSessionName": "bench"}),
}
for name, url in urls.items():
    with open(f"{work}/{name}.url", "w") as out:
        out.write(url)
