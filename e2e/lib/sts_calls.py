"""Unsigned STS federation calls through boto3, one per input line, for the e2e scripts.

Usage: sts_calls.py ENDPOINT < CALLS

Each line of CALLS is tab-separated: NAME, web or saml, ROLE_ARN, then the session name (web) or the SAML
provider's ARN (saml), then the file holding the token (web) or the base64 SAML response (saml). Prints one line per
call: NAME, a tab and the response as JSON (without ResponseMetadata, with CallerArn: what GetCallerIdentity answers
to the new session's credentials); or NAME, a tab, "error", the HTTP status, the
error code and message, tab-separated. The client is made as a user makes it, with no credentials: boto3 knows
that both calls are unsigned.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

sts = boto3.client("sts", endpoint_url=sys.argv[1], region_name="us-east-1",
                   config=Config(retries={"max_attempts": 1}))
for line in sys.stdin:
    name, operation, role_arn, second, path = line.rstrip("\n").split("\t")
    with open(path) as file:
        token = file.read().strip()
    try:
        if operation == "web":
            response = sts.assume_role_with_web_identity(RoleArn=role_arn, RoleSessionName=second,
                                                         WebIdentityToken=token)
        else:
            response = sts.assume_role_with_saml(RoleArn=role_arn, PrincipalArn=second, SAMLAssertion=token)
        response.pop("ResponseMetadata", None)
        credentials = response["Credentials"]
        session = boto3.client("sts", endpoint_url=sys.argv[1], region_name="us-east-1",
                               aws_access_key_id=credentials["AccessKeyId"],
                               aws_secret_access_key=credentials["SecretAccessKey"],
                               aws_session_token=credentials["SessionToken"])
        response["CallerArn"] = session.get_caller_identity()["Arn"]
        print(name, json.dumps(response, default=str), sep="\t")
    except ClientError as error:
        print(name, "error", error.response["ResponseMetadata"]["HTTPStatusCode"], error.response["Error"]["Code"],
              error.response["Error"].get("Message", ""), sep="\t")
    sys.stdout.flush()
