package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * IAM CreatePolicy's answers to customer managed policy documents, as AWS returns them: each refused document with
 * the {@code MalformedPolicyDocument} message IAM gives for it, and documents IAM accepts. When a document has several
 * faults, the message is the one IAM reports first, so these cases also pin down the order of IAM's checks.
 *
 * <p>Documents are written with single quotes for readability; {@link #json} turns them into JSON. None of them has a
 * single quote of its own.
 */
class PolicyCreatePolicyAnswersTest {
    record Refused(String name, String json, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Refused refused(String name, String document, String message) {
        return new Refused(name, json(document), message);
    }

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    static Stream<Refused> refusedDocuments() {
        return Stream.of(
                refused("text that is not JSON",
                        "This is not a json document",
                        "Syntax errors in policy."),
                refused("no Version",
                        "{'Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                        "Policy document must be version 2012-10-17 or greater."),
                refused("Version 2008-10-17",
                        "{'Version':'2008-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                        "Policy document must be version 2012-10-17 or greater."),
                refused("an unknown Version",
                        "{'Version':'2013-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                        "Syntax errors in policy."),
                refused("no Statement",
                        "{'Version':'2012-10-17'}",
                        "Syntax errors in policy."),
                refused("a statement that is a string",
                        "{'Version':'2012-10-17','Statement':['afd']}",
                        "Syntax errors in policy."),
                refused("an unknown top-level element",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket'},'Extra field':'value'}",
                        "Syntax errors in policy."),
                refused("an unknown statement element",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Extra field':'value'}}",
                        "Syntax errors in policy."),
                refused("an Id that is an array",
                        "{'Version':'2012-10-17','Id':["
                        + "'cd3a324d2343d942772346-34234234423404-4c2242343242349d1642ee'],'Statement':{"
                        + "'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                        "Syntax errors in policy."),
                refused("an Id that is an object",
                        "{'Version':'2012-10-17','Id':{},'Statement':{'Effect':'Allow',"
                        + "'Action':'s3:ListBucket','Resource':'arn:aws:s3:::example_bucket'}}",
                        "Syntax errors in policy."),
                refused("an Effect that is neither word",
                        "{'Version':'2012-10-17','Statement':{'Effect':'invalid',"
                        + "'Action':'s3:ListBucket','Resource':'arn:aws:s3:::example_bucket'}}",
                        "Syntax errors in policy."),
                refused("an action without a vendor",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'invalid',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
                refused("an empty NotAction",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','NotAction':'',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
                refused("a vendor with a space",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'a a:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                        "Vendor a a is not valid"),
                refused("an action with two colons",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:List:Bucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                        "Actions/Condition can contain only one colon."),
                refused("an action with two colons in the second statement",
                        "{'Version':'2012-10-17','Statement':[{'Effect':'Allow',"
                        + "'Action':'s3s:ListBucket','Resource':'arn:aws:s3:::example_bucket'},{"
                        + "'Effect':'Allow','Action':'s:3s:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}]}",
                        "Actions/Condition can contain only one colon."),
                refused("a resource with a space and no colon",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'invalid resource'}}",
                        "Resource invalid resource must be in ARN format or \"*\"."),
                refused("an empty resource in two statements",
                        "{'Version':'2012-10-17','Statement':[{'Sid':'EnableDisableHongKong',"
                        + "'Effect':'Allow','Action':['account:EnableRegion','account:DisableRegion'],"
                        + "'Resource':'','Condition':{'StringEquals':{"
                        + "'account:TargetRegion':'ap-east-1'}}},{'Sid':'ViewConsole','Effect':'Allow',"
                        + "'Action':['aws-portal:ViewAccount','account:ListRegions'],'Resource':''}]}",
                        "Resource  must be in ARN format or \"*\"."),
                refused("a resource without a colon before an action with two colons",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s:3:ListBucket',"
                        + "'Resource':'sdfsadf'}}",
                        "Resource sdfsadf must be in ARN format or \"*\"."),
                refused("a resource without a colon in a list",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':['adf']}}",
                        "Resource adf must be in ARN format or \"*\"."),
                refused("an empty resource",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':''}}",
                        "Resource  must be in ARN format or \"*\"."),
                refused("a resource of two segments: its second is the partition",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                        + "'NotAction':'s3s:ListBucket','Resource':'a:bsdfdsafsad'}}",
                        "Partition \"bsdfdsafsad\" is not valid for resource \"arn:bsdfdsafsad:*:*:*:*\"."),
                refused("a resource of three segments",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                        + "'NotAction':'s3s:ListBucket','Resource':'a:b:cadfsdf'}}",
                        "Partition \"b\" is not valid for resource \"arn:b:cadfsdf:*:*:*\"."),
                refused("a resource of eight segments",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                        + "'NotAction':'s3s:ListBucket','Resource':'a:b:c:d:e:f:g:h'}}",
                        "Partition \"b\" is not valid for resource \"arn:b:c:d:e:f:g:h\"."),
                refused("an ARN without its arn prefix",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'aws:s3:::example_bucket'}}",
                        "Partition \"s3\" is not valid for resource \"arn:s3:::example_bucket:*\"."),
                refused("an unknown partition, then an ARN short of a segment",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':['arn:error:s3:::example_bucket','arn:error:s3::example_bucket']}}",
                        "Partition \"error\" is not valid for resource \"arn:error:s3:::example_bucket\"."),
                refused("an empty list of statements",
                        "{'Version':'2012-10-17','Statement':[]}",
                        "Syntax errors in policy."),
                refused("no Resource",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket'}}",
                        "Policy statement must contain resources."),
                refused("an empty Resource list",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':[]}}",
                        "Policy statement must contain resources."),
                // IAM reports the missing resources before the action's form (CreatePolicy's answer, first recorded).
                refused("an action without a vendor and no Resource",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'invalid'}}",
                        "Policy statement must contain resources."),
                refused("no Action",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                        "Policy statement must contain actions."),
                refused("no Effect",
                        "{'Version':'2012-10-17','Statement':{'Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                        "Syntax errors in policy."),
                refused("only an Effect",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow'}}",
                        "Policy statement must contain actions."),
                refused("an empty Action list",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':[],"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                        "Policy statement must contain actions."),
                refused("a statement with only an Effect before a good one",
                        "{'Version':'2012-10-17','Statement':[{'Effect':'Deny'},{'Effect':'Allow',"
                        + "'Action':'s3:ListBucket','Resource':'arn:aws:s3:::example_bucket'}]}",
                        "Policy statement must contain actions."),
                refused("an IAM resource whose path is no IAM resource type",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:iam:::example_bucket'}}",
                        "IAM resource path must either be \"*\", root, or start with user/, federated-user/, role/, "
                                + "group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, "
                                + "saml-provider/, oidc-provider/, report/, access-report/."),
                refused("an S3 ARN short of a segment",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3::example_bucket'}}",
                        "The policy failed legacy parsing"),
                refused("an S3 ARN short of a segment and no Action",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                        + "'Resource':'arn:aws:s3::example_bucket'}}",
                        "The policy failed legacy parsing"),
                refused("an ARN of partition only",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws'}}",
                        "Resource vendor must be fully qualified and cannot contain regexes."),
                refused("a Resource that is an object",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':{'a':'arn:aws:s3:::example_bucket'}}}",
                        "Syntax errors in policy."),
                refused("an object in the Resource list",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Deny','Action':'s3:ListBucket',"
                        + "'Resource':['adfdf',{}]}}",
                        "Syntax errors in policy."),
                refused("Resource and an empty NotResource",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                        + "'NotAction':'s3:ListBucket','Resource':'arn:aws:s3:::example_bucket',"
                        + "'NotResource':[]}}",
                        "Syntax errors in policy."),
                refused("an array in the Action list",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Deny','Action':[[]],"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                        "Syntax errors in policy."),
                refused("NotAction and an empty Action list",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                        + "'NotAction':'s3s:ListBucket','Action':[],"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                        "Syntax errors in policy."),
                refused("an Action that is an object",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':{},"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                        "Syntax errors in policy."),
                refused("a Condition that is an array",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':[]}}",
                        "Syntax errors in policy."),
                refused("a Condition that is a string",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':'a'}}",
                        "Syntax errors in policy."),
                refused("a condition operator whose block is a string",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'a':'b'}}}",
                        "Syntax errors in policy."),
                refused("a Date operator whose block is a string",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateGreaterThan':'b'}}}",
                        "Syntax errors in policy."),
                refused("a Date operator whose block is an array",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateGreaterThan':[]}}}",
                        "Syntax errors in policy."),
                refused("a condition value that is an object",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateGreaterThan':{'a':{"
                        + "}}}}}",
                        "Syntax errors in policy."),
                refused("a condition value that is an object, and no Action",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateGreaterThan':{'a':{"
                        + "}}}}}",
                        "Syntax errors in policy."),
                refused("an unknown condition operator",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'x':{'a':'1'}}}}",
                        "Syntax errors in policy."),
                refused("a qualifier followed by two colons",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{"
                        + "'ForAnyValue::StringEqualsIfExists':{'a':'asf'}}}}",
                        "Syntax errors in policy."),
                refused("a Condition that is an array of blocks",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':[{"
                        + "'ForAllValues:StringEquals':{'aws:TagKeys':'Department'}}]}}",
                        "Syntax errors in policy."),
                refused("an IAM resource with a region",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:iam:us-east-1::example_bucket'}}",
                        "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region "
                                + "information."),
                refused("an S3 bucket with a region",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:us-east-1::example_bucket'}}",
                        "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information."),
                refused("a Sid that is an object",
                        "{'Version':'2012-10-17','Statement':{'Sid':{},'Effect':'Allow',"
                        + "'Action':'s3:ListBucket','Resource':'arn:aws:s3:::example_bucket'}}",
                        "Syntax errors in policy."),
                refused("a Sid that is an array",
                        "{'Version':'2012-10-17','Statement':{'Sid':[],'Effect':'Allow',"
                        + "'Action':'s3:ListBucket','Resource':'arn:aws:s3:::example_bucket'}}",
                        "Syntax errors in policy."),
                refused("a repeated Sid, the second statement without actions",
                        "{'Version':'2012-10-17','Statement':[{'Sid':'sdf','Effect':'Allow',"
                        + "'Action':'s3:ListBucket','Resource':'arn:aws:s3:::example_bucket'},{'Sid':'sdf',"
                        + "'Effect':'Allow'}]}",
                        "Statement IDs (SID) in a single policy must be unique."),
                refused("a repeated Sid and no Version",
                        "{'Statement':[{'Sid':'sdf','Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket'},{'Sid':'sdf','Effect':'Allow'}]}",
                        "Policy document must be version 2012-10-17 or greater."),
                refused("both NotAction and Action",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                        + "'NotAction':'s3:ListBucket','Action':'iam:dsf',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                        "Syntax errors in policy."),
                refused("both Resource and NotResource",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','NotResource':'*'}}",
                        "Syntax errors in policy."),
                refused("an Effect of denY",
                        "{'Version':'2012-10-17','Statement':{'Effect':'denY','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                        "The policy failed legacy parsing"),
                refused("a date that is not a date",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateGreaterThan':{"
                        + "'a':'sdfdsf'}}}}",
                        "The policy failed legacy parsing"),
                refused("a date that is not a date, and no Version",
                        "{'Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateGreaterThan':{"
                        + "'a':'sdfdsf'}}}}",
                        "Policy document must be version 2012-10-17 or greater."),
                refused("an Effect of denY and no Version",
                        "{'Statement':{'Effect':'denY','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                        "Policy document must be version 2012-10-17 or greater."),
                refused("a date that is not a date, and no Action or Resource",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Condition':{"
                        + "'DateGreaterThan':{'a':'sdfdsf'}}}}",
                        "The policy failed legacy parsing"),
                refused("an ARN whose service is empty",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                        + "'NotAction':'s3:ListBucket','Resource':'arn:aws::::example_bucket'}}",
                        "The policy failed legacy parsing"),
                refused("a lower-case Effect and an S3 bucket with a region",
                        "{'Version':'2012-10-17','Statement':{'Effect':'allow',"
                        + "'Resource':'arn:aws:s3:us-east-1::example_bucket'}}",
                        "The policy failed legacy parsing"),
                refused("a mixed-case Effect and a repeated Sid",
                        "{'Version':'2012-10-17','Statement':[{'Sid':'sdf','Effect':'aLLow',"
                        + "'Action':'s3:ListBucket','Resource':'arn:aws:s3:::example_bucket'},{'Sid':'sdf',"
                        + "'Effect':'Allow'}]}",
                        "The policy failed legacy parsing"),
                refused("a NotResource short of a segment",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'NotResource':'arn:aws:s3::example_bucket'}}",
                        "The policy failed legacy parsing"),
                refused("a date whose month is 13",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateLessThanEquals':{"
                        + "'a':'234-13'}}}}",
                        "The policy failed legacy parsing"),
                refused("a date whose zone has one digit",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateLessThanEquals':{"
                        + "'a':'2016-12-13t2:00:00.593194+1'}}}}",
                        "The policy failed legacy parsing"),
                refused("a date with ten digits of fraction",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateLessThanEquals':{"
                        + "'a':'2016-12-13t2:00:00.1999999999+10:59'}}}}",
                        "The policy failed legacy parsing"),
                refused("an epoch time beyond a long",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateLessThan':{"
                        + "'a':'9223372036854775808'}}}}",
                        "The policy failed legacy parsing"),
                refused("an unknown partition and a date that is not a date",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:error:s3:::example_bucket','Condition':{'DateGreaterThan':{"
                        + "'a':'sdfdsf'}}}}",
                        "The policy failed legacy parsing"),
                refused("an ARN whose service is empty, short of segments",
                        "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws::fdsasf'}}",
                        "The policy failed legacy parsing"));
    }

    /**
     * Documents CreatePolicy accepts, among them examples of the IAM User Guide ("Example IAM identity-based
     * policies"). IAM accepts {@code Action} values it does not know, resources of services it does not know, a
     * condition operator it does not know whose block is empty, and region or account segments that are words.
     */
    static Stream<String> acceptedDocuments() {
        return Stream.of(
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':['arn:aws:s3:::example_bucket']}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'iam: asdf "
                        + "safdsf af ','Resource':'arn:aws:s3:::example_bucket'}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':['arn:aws:s3:::example_bucket','*']}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'*',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}]}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                        + "'Action':'service-prefix:action-name','Resource':'*','Condition':{"
                        + "'DateGreaterThan':{'aws:CurrentTime':'2017-07-01T00:00:00Z'},'DateLessThan':{"
                        + "'aws:CurrentTime':'2017-12-31T23:59:59Z'}}}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'fsx:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:iam:::user/example_bucket'}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s33:::example_bucket'}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:fdsasf'}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{}}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{"
                        + "'ForAllValues:StringEquals':{'aws:TagKeys':'Department'}}}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:cloudwatch:us-east-1::example_bucket'}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:ec2:us-east-1::example_bucket'}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:invalid-service:::example_bucket'}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:invalid-service:us-east-1::example_bucket'}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateGreaterThan':{"
                        + "'aws:CurrentTime':'2017-07-01T00:00:00Z'},'DateLessThan':{"
                        + "'aws:CurrentTime':'2017-12-31T23:59:59Z'}}}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateGreaterThan':{}}}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateGreaterThan':{'a':["
                        + "]}}}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'a':{}}}}",
                "{'Version':'2012-10-17','Statement':{'Sid':'dsfsdfsdfsdfsdfsadfsd',"
                        + "'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                "{'Version':'2012-10-17','Statement':[{'Sid':'ConsoleDisplay','Effect':'Allow',"
                        + "'Action':['iam:GetRole','iam:GetUser','iam:ListRoles','iam:ListRoleTags',"
                        + "'iam:ListUsers','iam:ListUserTags'],'Resource':'*'},{'Sid':'AddTag',"
                        + "'Effect':'Allow','Action':['iam:TagUser','iam:TagRole'],'Resource':'*',"
                        + "'Condition':{'StringEquals':{'aws:RequestTag/CostCenter':['A-123','B-456']},"
                        + "'ForAllValues:StringEquals':{'aws:TagKeys':'CostCenter'}}}]}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                        + "'NotAction':'s3:ListBucket','Resource':'arn:aws:s3:::example_bucket'}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Deny','Action':'s3:*',"
                        + "'NotResource':['arn:aws:s3:::HRBucket/Payroll','arn:aws:s3:::HRBucket/Payroll/"
                        + "*']}}",
                "{'Version':'2012-10-17','Id':'sdfsdfsdf','Statement':{'Effect':'Allow',"
                        + "'NotAction':'s3:ListBucket','Resource':'arn:aws:s3:::example_bucket'}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                        + "'Action':'aaaaaadsfdsafsadfsadfaaaaa:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                        + "'Action':'s3-s:ListBucket','Resource':'arn:aws:s3:::example_bucket'}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                        + "'Action':'s3.s:ListBucket','Resource':'arn:aws:s3:::example_bucket'}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow',"
                        + "'NotAction':'s3:ListBucket','NotResource':'*'}}",
                "{'Version':'2012-10-17','Statement':[{'Sid':'sdf','Effect':'Allow',"
                        + "'Action':'s3:ListBucket','Resource':'arn:aws:s3:::example_bucket'},{"
                        + "'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket'}]}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateGreaterThan':{"
                        + "'a':'01T'}}}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'x':{},'y':{}}}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'StringEqualsIfExists':{"
                        + "'a':'asf'}}}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{"
                        + "'ForAnyValue:StringEqualsIfExists':{'a':'asf'}}}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateLessThanEquals':{"
                        + "'a':'2019-07-01T13:20:15Z'}}}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateLessThanEquals':{"
                        + "'a':'2016-12-13T21:20:37.593194+00:00'}}}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateLessThanEquals':{"
                        + "'a':'2016-12-13t2:00:00.593194+23'}}}}",
                "{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':'arn:aws:s3:::example_bucket','Condition':{'DateLessThan':{"
                        + "'a':'-292275054'}}}}",
                "{'Version':'2012-10-17','Statement':[{'Sid':'AllowViewAccountInfo',"
                        + "'Effect':'Allow','Action':['iam:GetAccountPasswordPolicy',"
                        + "'iam:GetAccountSummary','iam:ListVirtualMFADevices'],'Resource':'*'},{"
                        + "'Sid':'AllowManageOwnPasswords','Effect':'Allow','Action':['iam:ChangePassword',"
                        + "'iam:GetUser'],'Resource':'arn:aws:iam::*:user/${aws:username}'},{"
                        + "'Sid':'AllowManageOwnAccessKeys','Effect':'Allow','Action':["
                        + "'iam:CreateAccessKey','iam:DeleteAccessKey','iam:ListAccessKeys',"
                        + "'iam:UpdateAccessKey'],'Resource':'arn:aws:iam::*:user/${aws:username}'},{"
                        + "'Sid':'AllowManageOwnSigningCertificates','Effect':'Allow','Action':["
                        + "'iam:DeleteSigningCertificate','iam:ListSigningCertificates',"
                        + "'iam:UpdateSigningCertificate','iam:UploadSigningCertificate'],"
                        + "'Resource':'arn:aws:iam::*:user/${aws:username}'},{"
                        + "'Sid':'AllowManageOwnSSHPublicKeys','Effect':'Allow','Action':["
                        + "'iam:DeleteSSHPublicKey','iam:GetSSHPublicKey','iam:ListSSHPublicKeys',"
                        + "'iam:UpdateSSHPublicKey','iam:UploadSSHPublicKey'],"
                        + "'Resource':'arn:aws:iam::*:user/${aws:username}'},{"
                        + "'Sid':'AllowManageOwnGitCredentials','Effect':'Allow','Action':["
                        + "'iam:CreateServiceSpecificCredential','iam:DeleteServiceSpecificCredential',"
                        + "'iam:ListServiceSpecificCredentials','iam:ResetServiceSpecificCredential',"
                        + "'iam:UpdateServiceSpecificCredential'],'Resource':'arn:aws:iam::*:user/${"
                        + "aws:username}'},{'Sid':'AllowManageOwnVirtualMFADevice','Effect':'Allow',"
                        + "'Action':['iam:CreateVirtualMFADevice','iam:DeleteVirtualMFADevice'],"
                        + "'Resource':'arn:aws:iam::*:mfa/${aws:username}'},{'Sid':'AllowManageOwnUserMFA',"
                        + "'Effect':'Allow','Action':['iam:DeactivateMFADevice','iam:EnableMFADevice',"
                        + "'iam:ListMFADevices','iam:ResyncMFADevice'],'Resource':'arn:aws:iam::*:user/${"
                        + "aws:username}'},{'Sid':'DenyAllExceptListedIfNoMFA','Effect':'Deny',"
                        + "'NotAction':['iam:CreateVirtualMFADevice','iam:EnableMFADevice','iam:GetUser',"
                        + "'iam:ListMFADevices','iam:ListVirtualMFADevices','iam:ResyncMFADevice',"
                        + "'sts:GetSessionToken'],'Resource':'*','Condition':{'BoolIfExists':{"
                        + "'aws:MultiFactorAuthPresent':'false'}}}]}",
                // Boolean condition values, and Null with a boolean; the Sids are alphanumeric, as IAM requires of its
                // policies (IAM User Guide, "IAM JSON policy elements: Sid").
                "{'Version':'2012-10-17','Statement':[{"
                        + "'Sid':'BooleanConditionOperationsStringsAndBooleans','Action':'kms:CreateGrant',"
                        + "'Condition':{'Bool':{'kms:GrantIsForAWSResource':true},'ForAllValues:Bool':{"
                        + "'kms:GrantIsForAWSResource':false},'ForAnyValue:Bool':{"
                        + "'kms:GrantIsForAWSResource':'True'}},'Effect':'Allow','Resource':["
                        + "'arn:aws:kms:*:123456789012:key/*']}]}",
                "{'Version':'2012-10-17','Statement':[{"
                        + "'Sid':'NullConditionOperatorStringsAndBooleans','Action':'kms:CreateGrant',"
                        + "'Condition':{'Null':{'kms:EncryptionContextKeys':false,"
                        + "'kms:GrantOperations':'true'}},'Effect':'Allow','Resource':["
                        + "'arn:aws:kms:*:123456789012:key/*']}]}",
                "{'Version':'2012-10-17','Statement':[{'Sid':'ListAndDescribe','Effect':'Allow',"
                        + "'Action':['dynamodb:List*','dynamodb:DescribeReservedCapacity*',"
                        + "'dynamodb:DescribeLimits','dynamodb:DescribeTimeToLive'],'Resource':'*'},{"
                        + "'Sid':'SpecificTable','Effect':'Allow','Action':['dynamodb:BatchGet*',"
                        + "'dynamodb:DescribeStream','dynamodb:DescribeTable','dynamodb:Get*',"
                        + "'dynamodb:Query','dynamodb:Scan','dynamodb:BatchWrite*','dynamodb:CreateTable',"
                        + "'dynamodb:Delete*','dynamodb:Update*','dynamodb:PutItem'],"
                        + "'Resource':'arn:aws:dynamodb:*:*:table/MyTable'}]}",
                "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':["
                        + "'ec2:AttachVolume','ec2:DetachVolume'],'Resource':['arn:aws:ec2:*:*:volume/*',"
                        + "'arn:aws:ec2:*:*:instance/*'],'Condition':{'ArnEquals':{"
                        + "'ec2:SourceInstanceARN':'arn:aws:ec2:*:*:instance/instance-id'}}}]}",
                "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':["
                        + "'ec2:AttachVolume','ec2:DetachVolume'],'Resource':'arn:aws:ec2:*:*:instance/*',"
                        + "'Condition':{'StringEquals':{'ec2:ResourceTag/Department':'Development'}}},{"
                        + "'Effect':'Allow','Action':['ec2:AttachVolume','ec2:DetachVolume'],"
                        + "'Resource':'arn:aws:ec2:*:*:volume/*','Condition':{'StringEquals':{"
                        + "'ec2:ResourceTag/VolumeUser':'${aws:username}'}}}]}",
                "{'Version':'2012-10-17','Statement':[{'Sid':'StartStopIfTags','Effect':'Allow',"
                        + "'Action':['ec2:StartInstances','ec2:StopInstances','ec2:DescribeTags'],"
                        + "'Resource':'arn:aws:ec2:region:account-id:instance/*','Condition':{"
                        + "'StringEquals':{'ec2:ResourceTag/Project':'DataAnalytics','aws:PrincipalTag/"
                        + "Department':'Data'}}}]}",
                "{'Version':'2012-10-17','Statement':[{'Sid':'ListYourObjects','Effect':'Allow',"
                        + "'Action':'s3:ListBucket','Resource':['arn:aws:s3:::bucket-name'],'Condition':{"
                        + "'StringLike':{'s3:prefix':['cognito/application-name/${"
                        + "cognito-identity.amazonaws.com:sub}']}}},{'Sid':'ReadWriteDeleteYourObjects',"
                        + "'Effect':'Allow','Action':['s3:GetObject','s3:PutObject','s3:DeleteObject'],"
                        + "'Resource':['arn:aws:s3:::bucket-name/cognito/application-name/${"
                        + "cognito-identity.amazonaws.com:sub}','arn:aws:s3:::bucket-name/cognito/"
                        + "application-name/${cognito-identity.amazonaws.com:sub}/*']}]}",
                "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':["
                        + "'s3:ListAllMyBuckets','s3:GetBucketLocation'],'Resource':'*'},{'Effect':'Allow',"
                        + "'Action':'s3:ListBucket','Resource':'arn:aws:s3:::bucket-name','Condition':{"
                        + "'StringLike':{'s3:prefix':['','home/','home/${aws:userid}/*']}}},{"
                        + "'Effect':'Allow','Action':'s3:*','Resource':['arn:aws:s3:::bucket-name/home/${"
                        + "aws:userid}','arn:aws:s3:::bucket-name/home/${aws:userid}/*']}]}",
                "{'Version':'2012-10-17','Statement':[{'Sid':'ConsoleAccess','Effect':'Allow',"
                        + "'Action':['s3:GetAccountPublicAccessBlock','s3:GetBucketAcl',"
                        + "'s3:GetBucketLocation','s3:GetBucketPolicyStatus',"
                        + "'s3:GetBucketPublicAccessBlock','s3:ListAllMyBuckets'],'Resource':'*'},{"
                        + "'Sid':'ListObjectsInBucket','Effect':'Allow','Action':'s3:ListBucket',"
                        + "'Resource':['arn:aws:s3:::bucket-name']},{'Sid':'AllObjectActions',"
                        + "'Effect':'Allow','Action':'s3:*Object','Resource':['arn:aws:s3:::bucket-name/"
                        + "*']}]}",
                "{'Version':'2012-10-17','Statement':[{'Sid':'AllowViewAccountInfo',"
                        + "'Effect':'Allow','Action':['iam:GetAccountPasswordPolicy',"
                        + "'iam:GetAccountSummary'],'Resource':'*'},{'Sid':'AllowManageOwnPasswords',"
                        + "'Effect':'Allow','Action':['iam:ChangePassword','iam:GetUser'],"
                        + "'Resource':'arn:aws:iam::*:user/${aws:username}'},{"
                        + "'Sid':'AllowManageOwnAccessKeys','Effect':'Allow','Action':["
                        + "'iam:CreateAccessKey','iam:DeleteAccessKey','iam:ListAccessKeys',"
                        + "'iam:UpdateAccessKey'],'Resource':'arn:aws:iam::*:user/${aws:username}'},{"
                        + "'Sid':'AllowManageOwnSigningCertificates','Effect':'Allow','Action':["
                        + "'iam:DeleteSigningCertificate','iam:ListSigningCertificates',"
                        + "'iam:UpdateSigningCertificate','iam:UploadSigningCertificate'],"
                        + "'Resource':'arn:aws:iam::*:user/${aws:username}'},{"
                        + "'Sid':'AllowManageOwnSSHPublicKeys','Effect':'Allow','Action':["
                        + "'iam:DeleteSSHPublicKey','iam:GetSSHPublicKey','iam:ListSSHPublicKeys',"
                        + "'iam:UpdateSSHPublicKey','iam:UploadSSHPublicKey'],"
                        + "'Resource':'arn:aws:iam::*:user/${aws:username}'},{"
                        + "'Sid':'AllowManageOwnGitCredentials','Effect':'Allow','Action':["
                        + "'iam:CreateServiceSpecificCredential','iam:DeleteServiceSpecificCredential',"
                        + "'iam:ListServiceSpecificCredentials','iam:ResetServiceSpecificCredential',"
                        + "'iam:UpdateServiceSpecificCredential'],'Resource':'arn:aws:iam::*:user/${"
                        + "aws:username}'}]}",
                "{'Version':'2012-10-17','Statement':[{'Action':'ec2:*','Resource':'*',"
                        + "'Effect':'Allow','Condition':{'StringEquals':{'ec2:Region':'region'}}}]}",
                "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'rds:*',"
                        + "'Resource':['arn:aws:rds:region:*:*']},{'Effect':'Allow','Action':["
                        + "'rds:Describe*'],'Resource':['*']}]}",
                "{'Version':'2012-10-17','Statement':[{'Sid':'','Effect':'Allow',"
                        + "'Action':'rds:*','Resource':['arn:aws:rds:region:*:*']},{'Sid':'',"
                        + "'Effect':'Allow','Action':['rds:Describe*'],'Resource':['*']}]}",
                "{'Version':'2012-10-17','Statement':[{'Sid':'','Effect':'Allow','Action':["
                        + "'s3:*'],'Resource':['arn:aws:s3:us-west-2:123456789012:accesspoint/"
                        + "my-access-point','arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point/"
                        + "object/*']}]}").map(PolicyCreatePolicyAnswersTest::json);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedDocuments")
    void parseManaged_documentIamRefuses_isRefusedWithIamsMessage(Refused c) {
        assertThatThrownBy(() -> Policy.parseManaged(c.json()))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessage(c.message());
    }

    @ParameterizedTest
    @MethodSource("acceptedDocuments")
    void parseManaged_documentIamAccepts_isAccepted(String document) throws Exception {
        assertThat(Policy.parseManaged(document).statements()).isNotEmpty();
    }
}
