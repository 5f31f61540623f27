#!/usr/bin/env python3
"""Ask an OpenSTS node whether a request your service received may do what it asks (docs/AUTHORIZATION_API.md).

A resource service written in Python receives requests signed with AWS credentials that OpenSTS issued. It hands
the request's signing material to the node's authorization API, signing that call with its own credentials for the
service name "opensts" (botocore does the signing), and gets back who signed the request and whether they may.

Run as a program, it demonstrates the round trip: it signs an S3 GET as a client would (with the credentials of
--caller-profile), then asks the node about it with the service's credentials (--service-profile, or botocore's usual
credential chain) and prints the answer:

    python3 examples/authorize.py --endpoint-url http://127.0.0.1:8790 --caller-profile app \\
        --bucket reports --key 2026/q1.csv

Over HTTPS it trusts the CAs the AWS SDKs would: AWS_CA_BUNDLE, else the service profile's ca_bundle, else the
system's (a node started with --tls-self-signed prints the AWS_CA_BUNDLE line to export).
"""
import argparse
import hashlib
import json
import os
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request

import botocore.auth
import botocore.awsrequest
import botocore.session


def authorize(endpoint_url, service_credentials, received, action, resource, region="us-east-1", body=None,
              source_ip="127.0.0.1", secure_transport=False, resource_account=None, context=None,
              resource_policy=None, service_region=None, s3_base_hosts=None, ca_bundle=None):
    """Asks the node about one received request and returns its JSON answer as a dict.

    received: the botocore AWSRequest (or anything with .method, .url and .headers) the service received.
    body: the received body, if the service read it: its SHA-256 is sent so the node can check what was signed.
    service_region: the region the service serves; a request signed for another one is then not authentic.
    s3_base_hosts: the host names the service serves S3 at (["s3.example.com"]), for virtual-hosted SigV2 requests.
    ca_bundle: the CA file to trust over HTTPS, as botocore's ca_bundle; default: AWS_CA_BUNDLE, else the system's.
    Raises urllib.error.HTTPError for an error of the call itself (403 when the service lacks opensts:Authorize).
    """
    split = urllib.parse.urlsplit(received.url)
    request = {
        "method": received.method,
        "path": split.path or "/",
        "query": split.query,
        "headers": [[name, value] for name, value in received.headers.items()],
        "sourceIp": source_ip,
        "secureTransport": secure_transport,
    }
    if "host" not in {name.lower() for name in received.headers.keys()}:
        request["headers"].append(["Host", split.netloc])
    if body is not None:
        request["payloadHash"] = hashlib.sha256(body).hexdigest()
    question = {"request": request, "action": action, "resource": resource}
    if service_region:
        question["region"] = service_region
    if s3_base_hosts:
        question["s3BaseHosts"] = list(s3_base_hosts)
    if resource_account:
        question["resourceAccount"] = resource_account
    if context:
        question["context"] = context
    if resource_policy:
        question["resourcePolicy"] = resource_policy

    payload = json.dumps(question).encode("utf-8")
    call = botocore.awsrequest.AWSRequest(method="POST", url=endpoint_url.rstrip("/") + "/authorize", data=payload,
                                          headers={"Content-Type": "application/json"})
    botocore.auth.SigV4Auth(service_credentials, "opensts", region).add_auth(call)
    prepared = call.prepare()
    http_request = urllib.request.Request(prepared.url, data=payload, method="POST", headers=dict(prepared.headers))
    # Trust what the AWS SDKs trust (botocore's ca_bundle: AWS_CA_BUNDLE, then the profile), not only the system.
    ca_bundle = ca_bundle or os.environ.get("AWS_CA_BUNDLE")
    tls_context = ssl.create_default_context(cafile=ca_bundle) if ca_bundle else None
    with urllib.request.urlopen(http_request, timeout=30, context=tls_context) as response:
        return json.loads(response.read())


def signed_s3_get(credentials, bucket, key, region="us-east-1"):
    """An S3 GetObject request as a client signs it for a path-style S3 endpoint (what a service would receive)."""
    url = "https://s3.%s.amazonaws.com/%s/%s" % (region, bucket, urllib.parse.quote(key))
    request = botocore.awsrequest.AWSRequest(method="GET", url=url)
    botocore.auth.S3SigV4Auth(credentials, "s3", region).add_auth(request)
    return request


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint-url", required=True, help="the OpenSTS node, e.g. http://127.0.0.1:8790")
    parser.add_argument("--service-profile", help="the service's credentials (default: botocore's usual chain)")
    parser.add_argument("--caller-profile", required=True, help="the credentials the client signs with")
    parser.add_argument("--bucket", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--region", default="us-east-1")
    args = parser.parse_args()

    service_session = botocore.session.Session(profile=args.service_profile)
    service = service_session.get_credentials()
    caller = botocore.session.Session(profile=args.caller_profile).get_credentials()
    if service is None or caller is None:
        sys.exit("authorize.py: no credentials found for the service or the caller")
    received = signed_s3_get(caller.get_frozen_credentials(), args.bucket, args.key, args.region)
    try:
        answer = authorize(args.endpoint_url, service.get_frozen_credentials(), received, "s3:GetObject",
                           "arn:aws:s3:::%s/%s" % (args.bucket, args.key), region=args.region, body=b"",
                           service_region=args.region, secure_transport=True,
                           ca_bundle=service_session.get_config_variable("ca_bundle"))
    except urllib.error.HTTPError as e:
        sys.exit("authorize.py: the node refused the call: %s %s" % (e.code, e.read().decode("utf-8", "replace")))
    except urllib.error.URLError as e:
        sys.exit("authorize.py: cannot reach the node: %s" % e.reason)
    print(json.dumps(answer, indent=2))
    return 0 if answer.get("allowed") else 1


if __name__ == "__main__":
    sys.exit(main())
