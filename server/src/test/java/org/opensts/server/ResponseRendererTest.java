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
        assertThat(response.xml()).isEqualTo(DECLARATION
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
        assertThat(response.xml()).isEqualTo(DECLARATION
                + "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>"
                + "<Code>NoSuchEntity</Code><Message>The role with name demo cannot be found.</Message></Error>"
                + "<RequestId>" + REQUEST_ID + "</RequestId></ErrorResponse>");
    }

    @Test
    void error_withoutAMessage_hasNoMessageElement_asAwsSendsReportNotPresent() {
        QueryResponse response = ResponseRenderer.error(ApiVersion.IAM,
                new ApiException(ErrorCode.REPORT_NOT_PRESENT, ""), REQUEST_ID);

        assertThat(response.httpStatus()).isEqualTo(410);
        assertThat(response.xml()).isEqualTo(DECLARATION
                + "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>"
                + "<Code>ReportNotPresent</Code></Error>"
                + "<RequestId>" + REQUEST_ID + "</RequestId></ErrorResponse>");
    }

    @Test
    void error_ourFault_isReceiver() {
        QueryResponse response = ResponseRenderer.error(ApiVersion.STS,
                new ApiException(ErrorCode.INTERNAL_FAILURE, "An internal error occurred."), REQUEST_ID);

        assertThat(response.httpStatus()).isEqualTo(500);
        assertThat(Xml.child(Xml.child(Xml.parse(response.xml()), "Error"), "Type").getTextContent())
                .isEqualTo("Receiver");
    }

    @Test
    void error_messageWithMarkup_isEscapedAndReadsBack() {
        String message = "1 validation error detected: Value '<x>&\"y\"' at 'roleSessionName' failed to satisfy "
                + "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*";

        QueryResponse response = ResponseRenderer.error(ApiVersion.STS, ApiException.validationError(message),
                REQUEST_ID);

        assertThat(response.xml()).contains(
                "<Message>1 validation error detected: Value &apos;&lt;x&gt;&amp;&quot;y&quot;&apos; at");
        assertThat(Xml.child(Xml.child(Xml.parse(response.xml()), "Error"), "Message").getTextContent())
                .isEqualTo(message);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ErrorCode.class)
    void error_everyCode_hasItsStatusTypeAndCodeInTheEnvelope(ErrorCode code) {
        QueryResponse response = ResponseRenderer.error(ApiVersion.STS, new ApiException(code, "message"),
                REQUEST_ID);

        Element root = Xml.parse(response.xml());
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
        assertThat(response.xml()).isEqualTo(DECLARATION
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

        assertThat(response.xml()).isEqualTo(DECLARATION
                + "<DeleteRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ResponseMetadata>"
                + "<RequestId>" + REQUEST_ID + "</RequestId></ResponseMetadata></DeleteRoleResponse>");
    }

    @Test
    void success_withAnOutputOfNoMembers_hasAnEmptyResult() {
        QueryResponse response = ResponseRenderer.success(ApiVersion.STS, "GetCallerIdentity",
                ActionResult.of(xml -> { }, Map.of()), REQUEST_ID);

        assertThat(Xml.outline(Xml.parse(response.xml())))
                .isEqualTo("GetCallerIdentityResponse[GetCallerIdentityResult=, ResponseMetadata[RequestId="
                        + REQUEST_ID + "]]");
    }

    @Test
    void queryResponse_toString_neverShowsTheBody() {
        QueryResponse response = ResponseRenderer.success(ApiVersion.STS, "GetSessionToken",
                ActionResult.of(xml -> xml.element("SessionToken", "FwoGZXIvYXdzEXAMPLETOKEN"), Map.of()),
                REQUEST_ID);

        assertThat(response.toString()).isEqualTo("QueryResponse[200]");
    }
}
