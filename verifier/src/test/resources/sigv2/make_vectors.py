#!/usr/bin/env python3
"""Makes vectors.json: requests signed by botocore's own Signature Version 2 signers.

S3's header form (HmacV1Auth), S3's presigned query form (HmacV1QueryAuth) and the Query API's form (SigV2Auth),
each with a long-term key and with the temporary credentials in session.json (minted by OpenSTS with a key ring the
test rebuilds from a fixed seed). The signing time is frozen at 2026-03-14T09:26:53Z, the tests' clock.

Run from this directory with botocore installed:  python3 make_vectors.py > vectors.json
"""
import calendar
import json
import sys
import time
from email.utils import formatdate
from unittest import mock
from urllib.parse import urlsplit

import botocore
import botocore.session
from botocore.auth import HmacV1Auth, HmacV1QueryAuth, SigV2Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

NOW = calendar.timegm((2026, 3, 14, 9, 26, 53))
LONG_TERM = Credentials("AKIAY34FZKBOKMUTVV7A", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
with open("session.json") as f:
    session = json.load(f)
SESSION = Credentials(session["access_key"], session["secret_key"], session["token"])


class FixedHmacV1Auth(HmacV1Auth):
    def _get_date(self):
        return formatdate(NOW, usegmt=True)


class FixedHmacV1QueryAuth(HmacV1QueryAuth):
    def _get_date(self):
        return str(NOW + int(self._expires))


def wire(name, form, credentials, request):
    prepared = request.prepare()
    split = urlsplit(prepared.url)
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    headers = [[k, v] for k, v in prepared.headers.items()]
    if not any(k.lower() == "host" for k, _ in headers):
        headers.insert(0, ["Host", split.netloc])
    return {
        "name": name,
        "form": form,
        "credentials": "session" if credentials.token else "long-term",
        "method": prepared.method,
        "path": split.path or "/",
        "query": split.query,
        "headers": headers,
        "body": body.decode("utf-8"),
    }


def s3_cases():
    requests = [
        ("GET object, path style", "GET", "https://s3.amazonaws.com/photos/2026/a%20b.jpg", {}, None, None),
        ("PUT object with type, MD5 and metadata", "PUT", "https://s3.amazonaws.com/photos/notes.txt",
         {"Content-Type": "text/plain", "Content-MD5": "XUFAKrxLKna5cZ2REBfFkg==", "x-amz-meta-Owner": " alice ",
          "x-amz-acl": "private"}, "hello", None),
        ("GET acl sub-resource", "GET", "https://s3.amazonaws.com/photos/a.jpg?acl", {}, None, None),
        ("GET version with response override", "GET",
         "https://s3.amazonaws.com/photos/a.jpg?versionId=3%2FL4kqtJl&response-content-type=text%2Fplain", {}, None,
         None),
        ("UploadPart", "PUT", "https://s3.amazonaws.com/photos/big.bin?partNumber=2&uploadId=VXBsb2Fk", {}, "part",
         None),
        ("ListObjects, parameters not signed", "GET", "https://s3.amazonaws.com/photos?prefix=2026%2F&delimiter=%2F",
         {}, None, None),
        ("GET object, virtual-hosted style", "GET", "https://photos.s3.amazonaws.com/2026/a.jpg", {}, None,
         "/photos/2026/a.jpg"),
        ("DELETE object", "DELETE", "https://s3.amazonaws.com/photos/a.jpg", {}, None, None),
    ]
    cases = []
    for credentials in (LONG_TERM, SESSION):
        for name, method, url, headers, body, auth_path in requests:
            request = AWSRequest(method=method, url=url, headers=dict(headers), data=body)
            request.auth_path = auth_path
            FixedHmacV1Auth(credentials).add_auth(request)
            cases.append(wire(name, "s3-header", credentials, request))
        for name, method, url, headers, body, auth_path in requests[:3] + requests[6:7]:
            request = AWSRequest(method=method, url=url, headers=dict(headers), data=body)
            request.auth_path = auth_path
            FixedHmacV1QueryAuth(credentials, expires=600).add_auth(request)
            presigned = wire(name, "s3-query", credentials, request)
            # A presigned URL carries its signed values in the query; the client sends only the URL.
            presigned["headers"] = [h for h in presigned["headers"] if h[0].lower() in ("host",)]
            if body:
                presigned["headers"] += [h for h in headers.items() if h[0].lower() in ("content-type",
                                                                                         "content-md5")]
            cases.append(presigned)
    return cases


class Captured(Exception):
    """Raised by the before-send hook: the request is made and signed, and goes no further."""

    def __init__(self, request):
        super().__init__("captured")
        self.request = request


def capture(request, **kwargs):
    raise Captured(request)


# Headers a client adds that no Signature Version 2 form signs and that change from run to run or machine to machine.
UNSIGNED_NOISE = ("user-agent", "amz-sdk-invocation-id", "amz-sdk-request")


def client_cases():
    """Bucket-level calls made by a botocore S3 client, path style, as it sends and signs them.

    Unlike the cases above, nothing here sets auth_path: the client's own handlers do, and for a request URI that is
    only a bucket they sign /photos/ while the path sent is /photos.
    """
    calls = [
        ("ListObjects, client, path style", "list_objects", {"Bucket": "photos", "Prefix": "2026/"}),
        ("ListObjectsV2, client, path style", "list_objects_v2", {"Bucket": "photos"}),
        ("GetBucketAcl, client, path style", "get_bucket_acl", {"Bucket": "photos"}),
        ("GetBucketLocation, client, path style", "get_bucket_location", {"Bucket": "photos"}),
    ]
    cases = []
    with mock.patch("time.time", return_value=NOW):
        for credentials in (LONG_TERM, SESSION):
            client = botocore.session.get_session().create_client(
                "s3", region_name="us-east-1", endpoint_url="https://s3.amazonaws.com",
                aws_access_key_id=credentials.access_key, aws_secret_access_key=credentials.secret_key,
                aws_session_token=credentials.token,
                config=Config(signature_version="s3", s3={"addressing_style": "path"}, retries={"max_attempts": 0}))
            client.meta.events.register("before-send.s3", capture)
            for name, operation, params in calls:
                try:
                    getattr(client, operation)(**params)
                except Captured as sent:
                    cases.append(sent_case(name, "s3-header", credentials, sent.request))
            url = client.generate_presigned_url("list_objects", Params={"Bucket": "photos"}, ExpiresIn=600)
            split = urlsplit(url)
            cases.append({"name": "ListObjects, client, path style", "form": "s3-query",
                          "credentials": "session" if credentials.token else "long-term", "method": "GET",
                          "path": split.path, "query": split.query, "headers": [["Host", split.netloc]],
                          "body": ""})
    return cases


def sent_case(name, form, credentials, prepared):
    split = urlsplit(prepared.url)
    headers = [[k, v.decode("utf-8") if isinstance(v, bytes) else v] for k, v in prepared.headers.items()
               if k.lower() not in UNSIGNED_NOISE]
    if not any(k.lower() == "host" for k, _ in headers):
        headers.insert(0, ["Host", split.netloc])
    body = prepared.body or b""
    return {
        "name": name,
        "form": form,
        "credentials": "session" if credentials.token else "long-term",
        "method": prepared.method,
        "path": split.path or "/",
        "query": split.query,
        "headers": headers,
        "body": body.decode("utf-8") if isinstance(body, bytes) else body,
    }


def query_cases():
    cases = []
    frozen = time.gmtime(NOW)
    with mock.patch("botocore.auth.time.gmtime", lambda *a: frozen):
        for credentials in (LONG_TERM, SESSION):
            request = AWSRequest(method="GET", url="https://iam.amazonaws.com/",
                                 params={"Action": "ListUsers", "Version": "2010-05-08", "PathPrefix": "/a b/"})
            SigV2Auth(credentials).add_auth(request)
            cases.append(wire("GET ListUsers", "query", credentials, request))
            request = AWSRequest(method="POST", url="https://ec2.amazonaws.com/",
                                 data={"Action": "DescribeRegions", "Version": "2016-11-15"},
                                 headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
            SigV2Auth(credentials).add_auth(request)
            cases.append(wire("POST DescribeRegions", "query", credentials, request))
    return cases


json.dump({"botocore": botocore.__version__, "time": "2026-03-14T09:26:53Z",
           "cases": s3_cases() + client_cases() + query_cases()}, sys.stdout, indent=1)
print()
