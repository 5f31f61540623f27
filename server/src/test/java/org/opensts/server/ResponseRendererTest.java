package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.testing.Xml;
import org.w3c.dom.Element;

/** The two envelopes of the AWS query protocol (its response and error serialization), byte for byte. */
class ResponseRendererTest {
    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    private static final String REQUEST_ID = "c6104cbe-af31-11e0-8154-cbc7ccf896c7";

    @Test
    void error_isTheAwsErrorEnvelope_withTheRequestIdBesideTheError() {
        QueryResponse response = ResponseRenderer.error(ApiVersion.STS, new ApiException(
                ErrorCode.INVALID_IDENTITY_TOKEN, "No OpenIDConnect provider found in your account for "
                        + "https://issuer.example.com"), REQUEST_ID);

        assertThat(response.httpStatus()).isEqualTo(400);
        assertThat(response.body()).isEqualTo(DECLARATION
                + "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                + "<Code>InvalidIdentityToken</Code><Message>No OpenIDConnect provider found in your account for "
                + "https://issuer.example.com</Message></Error><RequestId>" + REQUEST_ID + "</RequestId>"
                + "</ErrorResponse>");
    }

    @Test
    void error_ofAnIamRequest_usesTheIamNamespace() {
        QueryResponse response = ResponseRenderer.error(ApiVersion.IAM,
                new ApiException(ErrorCode.NO_SUCH_ENTITY, "The role with name demo cannot be found."), REQUEST_ID);

        assertThat(response.httpStatus()).isEqualTo(404);
        assertThat(response.body()).isEqualTo(DECLARATION
                + "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>"
                + "<Code>NoSuchEntity</Code><Message>The role with name demo cannot be found.</Message></Error>"
                + "<RequestId>" + REQUEST_ID + "</RequestId></ErrorResponse>");
    }

    @Test
    void error_withoutAMessage_hasNoMessageElement_asAwsSendsReportNotPresent() {
        QueryResponse response = ResponseRenderer.error(ApiVersion.IAM,
                new ApiException(ErrorCode.REPORT_NOT_PRESENT, ""), REQUEST_ID);

        assertThat(response.httpStatus()).isEqualTo(410);
        assertThat(response.body()).isEqualTo(DECLARATION
                + "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>"
                + "<Code>ReportNotPresent</Code></Error>"
                + "<RequestId>" + REQUEST_ID + "</RequestId></ErrorResponse>");
    }

    @Test
    void error_ourFault_isReceiver() {
        QueryResponse response = ResponseRenderer.error(ApiVersion.STS,
                new ApiException(ErrorCode.INTERNAL_FAILURE, "An internal error occurred."), REQUEST_ID);

        assertThat(response.httpStatus()).isEqualTo(500);
        assertThat(Xml.child(Xml.child(Xml.parse(response.body()), "Error"), "Type").getTextContent())
                .isEqualTo("Receiver");
    }

    @Test
    void error_messageWithMarkup_isEscapedAndReadsBack() {
        String message = "1 validation error detected: Value '<x>&\"y\"' at 'roleSessionName' failed to satisfy "
                + "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*";

        QueryResponse response = ResponseRenderer.error(ApiVersion.STS, ApiException.validationError(message),
                REQUEST_ID);

        assertThat(response.body()).contains(
                "<Message>1 validation error detected: Value &apos;&lt;x&gt;&amp;&quot;y&quot;&apos; at");
        assertThat(Xml.child(Xml.child(Xml.parse(response.body()), "Error"), "Message").getTextContent())
                .isEqualTo(message);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ErrorCode.class)
    void error_everyCode_hasItsStatusTypeAndCodeInTheEnvelope(ErrorCode code) {
        QueryResponse response = ResponseRenderer.error(ApiVersion.STS, new ApiException(code, "message"),
                REQUEST_ID);

        Element root = Xml.parse(response.body());
        assertThat(response.httpStatus()).isEqualTo(code.httpStatus());
        assertThat(root.getNamespaceURI()).isEqualTo("https://sts.amazonaws.com/doc/2011-06-15/");
        assertThat(Xml.outline(root)).isEqualTo("ErrorResponse[Error[Type=" + code.fault().wireName() + ", Code="
                + code.code() + ", Message=message], RequestId=" + REQUEST_ID + "]");
    }

    @Test
    void success_wrapsTheMembersInTheResult_andEndsWithResponseMetadata() {
        ActionResult result = ActionResult.of(xml -> xml.start("Credentials")
                .element("AccessKeyId", "ASIAIOSFODNN7EXAMPLE")
                .element("Expiration", Instant.parse("2011-07-15T23:28:33.359Z"))
                .end()
                .element("PackedPolicySize", 6), Map.of());

        QueryResponse response = ResponseRenderer.success(ApiVersion.STS, "AssumeRole", result, REQUEST_ID);

        assertThat(response.httpStatus()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(DECLARATION
                + "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
                + "<Credentials><AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>"
                + "<Expiration>2011-07-15T23:28:33Z</Expiration></Credentials><PackedPolicySize>6</PackedPolicySize>"
                + "</AssumeRoleResult><ResponseMetadata><RequestId>" + REQUEST_ID + "</RequestId>"
                + "</ResponseMetadata></AssumeRoleResponse>");
    }

    @Test
    void success_withoutOutput_hasNoResultElement() {
        QueryResponse response = ResponseRenderer.success(ApiVersion.IAM, "DeleteRole", ActionResult.empty(),
                REQUEST_ID);

        assertThat(response.body()).isEqualTo(DECLARATION
                + "<DeleteRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ResponseMetadata>"
                + "<RequestId>" + REQUEST_ID + "</RequestId></ResponseMetadata></DeleteRoleResponse>");
    }

    @Test
    void success_withAnOutputOfNoMembers_hasAnEmptyResult() {
        QueryResponse response = ResponseRenderer.success(ApiVersion.STS, "GetCallerIdentity",
                ActionResult.of(xml -> { }, Map.of()), REQUEST_ID);

        assertThat(Xml.outline(Xml.parse(response.body())))
                .isEqualTo("GetCallerIdentityResponse[GetCallerIdentityResult=, ResponseMetadata[RequestId="
                        + REQUEST_ID + "]]");
    }

    @Test
    void queryResponse_toString_neverShowsTheBody() {
        QueryResponse response = ResponseRenderer.success(ApiVersion.STS, "GetSessionToken",
                ActionResult.of(xml -> xml.element("SessionToken", "FwoGZXIvYXdzEXAMPLETOKEN"), Map.of()),
                REQUEST_ID);

        assertThat(response.toString()).isEqualTo("QueryResponse[200, XML]");
    }

    @Test
    void success_inJson_isTheResponseObjectWithResultAndMetadata_asAwsWritesIt() {
        ActionResult result = ActionResult.of(xml -> xml
                .element("UserId", "AIDAEXAMPLE")
                .element("Account", "123456789012")
                .element("Arn", "arn:aws:iam::123456789012:user/admin"), Map.of());

        QueryResponse response = ResponseRenderer.success(ApiVersion.STS, "GetCallerIdentity", result, REQUEST_ID,
                ResponseFormat.JSON);

        assertThat(response.httpStatus()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/json");
        assertThat(response.body()).isEqualTo("{\"GetCallerIdentityResponse\":{\"GetCallerIdentityResult\":{"
                + "\"Account\":\"123456789012\",\"Arn\":\"arn:aws:iam::123456789012:user/admin\","
                + "\"UserId\":\"AIDAEXAMPLE\"},\"ResponseMetadata\":{\"RequestId\":\"" + REQUEST_ID + "\"}}}");
    }

    @Test
    void success_inJson_ofAnOperationWithoutOutput_hasOnlyTheMetadata() {
        QueryResponse response = ResponseRenderer.success(ApiVersion.IAM, "DeleteRole", ActionResult.empty(),
                REQUEST_ID, ResponseFormat.JSON);

        assertThat(response.body()).isEqualTo("{\"DeleteRoleResponse\":{\"ResponseMetadata\":{\"RequestId\":\""
                + REQUEST_ID + "\"}}}");
    }

    @Test
    void success_inXml_isTheSameWhicheverOverloadWritesIt() {
        ActionResult result = ActionResult.of(xml -> xml.startList("Tags")
                .start("member").element("Key", "k").element("Value", "v").end()
                .end()
                .element("IsTruncated", false), Map.of());

        QueryResponse xml = ResponseRenderer.success(ApiVersion.IAM, "ListRoleTags", result, REQUEST_ID,
                ResponseFormat.XML);

        assertThat(xml.contentType()).isEqualTo("text/xml");
        assertThat(xml.body()).isEqualTo(ResponseRenderer.success(ApiVersion.IAM, "ListRoleTags", result, REQUEST_ID)
                .body()).isEqualTo(DECLARATION
                + "<ListRoleTagsResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ListRoleTagsResult>"
                + "<Tags><member><Key>k</Key><Value>v</Value></member></Tags><IsTruncated>false</IsTruncated>"
                + "</ListRoleTagsResult><ResponseMetadata><RequestId>" + REQUEST_ID + "</RequestId>"
                + "</ResponseMetadata></ListRoleTagsResponse>");
    }

    @Test
    void error_inJson_isTheErrorObjectBesideTheRequestId_withoutAnErrorResponse() {
        QueryResponse response = ResponseRenderer.error(ApiVersion.STS, new ApiException(
                ErrorCode.EXPIRED_TOKEN, "The security token included in the request is expired"), REQUEST_ID,
                ResponseFormat.JSON);

        assertThat(response.httpStatus()).isEqualTo(403);
        assertThat(response.contentType()).isEqualTo("application/json");
        assertThat(response.body()).isEqualTo("{\"Error\":{\"Code\":\"ExpiredToken\",\"Message\":\"The security "
                + "token included in the request is expired\",\"Type\":\"Sender\"},\"RequestId\":\""
                + REQUEST_ID + "\"}");
    }

    @Test
    void error_inJson_withoutAMessage_hasNoMessageMember() {
        QueryResponse response = ResponseRenderer.error(ApiVersion.IAM,
                new ApiException(ErrorCode.REPORT_NOT_PRESENT, ""), REQUEST_ID, ResponseFormat.JSON);

        assertThat(response.body()).isEqualTo("{\"Error\":{\"Code\":\"ReportNotPresent\",\"Type\":\"Sender\"},"
                + "\"RequestId\":\"" + REQUEST_ID + "\"}");
    }

    @Test
    void queryResponse_toString_neverShowsTheBody_inJsonEither() {
        QueryResponse response = ResponseRenderer.success(ApiVersion.STS, "GetSessionToken",
                ActionResult.of(xml -> xml.element("SessionToken", "FwoGZXIvYXdzEXAMPLETOKEN"), Map.of()),
                REQUEST_ID, ResponseFormat.JSON);

        assertThat(response.toString()).isEqualTo("QueryResponse[200, JSON]").doesNotContain("FwoG");
    }
}
