package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.testing.BotocoreData;
import org.opensts.protocol.testing.ShapeConformance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.GetOpenIdConnectProviderResponse;
import software.amazon.awssdk.services.iam.model.GetSamlProviderResponse;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.InvalidInputException;
import software.amazon.awssdk.services.iam.model.ListOpenIdConnectProviderTagsResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.OpenIDConnectProviderListEntry;
import software.amazon.awssdk.services.iam.model.SAMLProviderListEntry;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * The identity-provider actions over HTTP, through the AWS SDK for Java v2's own IAM client: every operation
 * round-trips through the SDK's parser, errors arrive as the SDK's typed exceptions with IAM's statuses, and every
 * action is authorized by the caller's policies against the provider's ARN.
 */
class IamProviderApiTest {
    private static final String ACCOUNT = "123456789012";
    private static final String THUMBPRINT = "6938fd4d98bab03faadb97b34396831e3780aea1";
    private static final String VISIBLE_ARN = "arn:aws:iam::123456789012:oidc-provider/visible.example.com";

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static IamClient iam;
    private static AwsCredentials nobody;
    private static AwsCredentials viewer;
    private static AwsCredentials guarded;

    /**
     * One node for the class; each test works on providers of its own. The bootstrap file adds users with known keys:
     * {@code nobody}, without any policy; {@code viewer}, allowed {@code iam:GetOpenIDConnectProvider} on
     * {@link #VISIBLE_ARN} and nothing else; {@code guarded}, allowed everything on providers but denied
     * GetOpenIDConnectProvider on {@code hidden.example.com}.
     */
    @BeforeAll
    static void start() throws Exception {
        nobody = TestNodes.knownKey("nobody");
        viewer = TestNodes.knownKey("viewer");
        guarded = TestNodes.knownKey("guarded");
        node = TestNodes.start(dataDir, """
                accounts:
                  - id: "123456789012"
                    users:
                      - name: nobody
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: viewer
                        policies:
                          - name: OneProvider
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, \
                Action: "iam:GetOpenIDConnectProvider", Resource: "%s"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: guarded
                        policies:
                          - name: ProvidersButOne
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "iam:*", \
                Resource: "*"}, {Effect: Deny, Action: "iam:GetOpenIDConnectProvider", \
                Resource: "arn:aws:iam::123456789012:oidc-provider/hidden.example.com"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                """.formatted(nobody.accessKeyId(), nobody.secretAccessKey(), VISIBLE_ARN, viewer.accessKeyId(),
                viewer.secretAccessKey(), guarded.accessKeyId(), guarded.secretAccessKey()));
        AccessKeyCredentials admin = node.initialAdmin().orElseThrow();
        iam = client(AwsBasicCredentials.create(admin.accessKey().accessKeyId(),
                admin.secretAccessKey().revealUtf8()));
    }

    @AfterAll
    static void stop() {
        iam.close();
        node.close();
    }

    static IamClient client(AwsCredentials credentials) {
        return SdkClients.iam(node, credentials);
    }

    private static String createOidc(String url) {
        return iam.createOpenIDConnectProvider(r -> r.url(url)).openIDConnectProviderArn();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    /** SAML 2.0 metadata of an identity provider, long enough for the model's 1000-character minimum. */
    static String metadata(String entityId, String validUntilAttribute) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" "
                + "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"" + entityId + "\"" + validUntilAttribute
                + ">\n  <md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n"
                + "    <md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>"
                + "MIIC" + "A".repeat(900) + "=</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n"
                + "    <md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" "
                + "Location=\"https://idp.example.com/sso?a=1&amp;b=2\"/>\n  </md:IDPSSODescriptor>\n"
                + "</md:EntityDescriptor>\n";
    }

    // ---- the declared input shapes are the model's

    static Stream<Arguments> declaredShapes() {
        return Stream.of(IamProviderActions.CREATE_OPEN_ID_CONNECT_PROVIDER_REQUEST,
                IamProviderActions.GET_OPEN_ID_CONNECT_PROVIDER_REQUEST,
                IamProviderActions.LIST_OPEN_ID_CONNECT_PROVIDERS_REQUEST,
                IamProviderActions.DELETE_OPEN_ID_CONNECT_PROVIDER_REQUEST,
                IamProviderActions.ADD_CLIENT_ID_TO_OPEN_ID_CONNECT_PROVIDER_REQUEST,
                IamProviderActions.REMOVE_CLIENT_ID_FROM_OPEN_ID_CONNECT_PROVIDER_REQUEST,
                IamProviderActions.UPDATE_OPEN_ID_CONNECT_PROVIDER_THUMBPRINT_REQUEST,
                IamProviderActions.TAG_OPEN_ID_CONNECT_PROVIDER_REQUEST,
                IamProviderActions.UNTAG_OPEN_ID_CONNECT_PROVIDER_REQUEST,
                IamProviderActions.LIST_OPEN_ID_CONNECT_PROVIDER_TAGS_REQUEST,
                IamProviderActions.CREATE_SAML_PROVIDER_REQUEST, IamProviderActions.GET_SAML_PROVIDER_REQUEST,
                IamProviderActions.UPDATE_SAML_PROVIDER_REQUEST, IamProviderActions.LIST_SAML_PROVIDERS_REQUEST,
                IamProviderActions.DELETE_SAML_PROVIDER_REQUEST, IamProviderActions.TAG_SAML_PROVIDER_REQUEST,
                IamProviderActions.UNTAG_SAML_PROVIDER_REQUEST, IamProviderActions.LIST_SAML_PROVIDER_TAGS_REQUEST)
                .map(shape -> Arguments.of(shape.name(), shape));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("declaredShapes")
    void inputShape_matchesTheModel(String name, StructureShape shape) {
        assertThat(ShapeConformance.differences(shape, BotocoreData.iamModel())).isEmpty();
    }

    // ---- OpenID Connect providers

    @Test
    void createOpenIdConnectProvider_thenGet_roundTripEveryMember() {
        var created = iam.createOpenIDConnectProvider(r -> r.url("https://round.example.com/realms/main")
                .clientIDList("app", "cli").thumbprintList(THUMBPRINT).tags(tag("Team", "Identity")));

        GetOpenIdConnectProviderResponse provider = iam.getOpenIDConnectProvider(
                r -> r.openIDConnectProviderArn(created.openIDConnectProviderArn()));

        assertThat(created.openIDConnectProviderArn())
                .isEqualTo("arn:aws:iam::123456789012:oidc-provider/round.example.com/realms/main");
        assertThat(created.tags()).containsExactly(tag("Team", "Identity"));
        assertThat(provider.url()).isEqualTo("round.example.com/realms/main");
        assertThat(provider.clientIDList()).containsExactly("app", "cli");
        assertThat(provider.thumbprintList()).containsExactly(THUMBPRINT);
        assertThat(provider.createDate()).isBefore(Instant.now().plusSeconds(1))
                .isAfter(Instant.now().minusSeconds(60));
        assertThat(provider.tags()).containsExactly(tag("Team", "Identity"));
    }

    @Test
    void listOpenIdConnectProviders_namesEveryProviderByArn() {
        String arn = createOidc("https://listed.example.com");

        assertThat(iam.listOpenIDConnectProviders().openIDConnectProviderList())
                .extracting(OpenIDConnectProviderListEntry::arn).contains(arn);
    }

    @Test
    void clientIdsAndThumbprints_changeAsAsked() {
        String arn = createOidc("https://audiences.example.com");

        iam.addClientIDToOpenIDConnectProvider(r -> r.openIDConnectProviderArn(arn).clientID("web"));
        iam.addClientIDToOpenIDConnectProvider(r -> r.openIDConnectProviderArn(arn).clientID("web"));
        iam.addClientIDToOpenIDConnectProvider(r -> r.openIDConnectProviderArn(arn).clientID("cli"));
        iam.removeClientIDFromOpenIDConnectProvider(r -> r.openIDConnectProviderArn(arn).clientID("cli"));
        iam.updateOpenIDConnectProviderThumbprint(r -> r.openIDConnectProviderArn(arn).thumbprintList(THUMBPRINT));

        GetOpenIdConnectProviderResponse provider = iam.getOpenIDConnectProvider(
                r -> r.openIDConnectProviderArn(arn));
        assertThat(provider.clientIDList()).containsExactly("web");
        assertThat(provider.thumbprintList()).containsExactly(THUMBPRINT);
        assertThat(provider.hasTags()).as("present even without tags, as AWS answers").isTrue();
        assertThat(provider.tags()).isEmpty();
    }

    @Test
    void listOpenIdConnectProviderTags_pagesWithMaxItemsAndMarker() {
        String arn = iam.createOpenIDConnectProvider(r -> r.url("https://tagged.example.com")
                .tags(tag("a", "1"), tag("b", "2"), tag("c", "3"))).openIDConnectProviderArn();
        iam.tagOpenIDConnectProvider(r -> r.openIDConnectProviderArn(arn).tags(tag("d", "4")));
        iam.untagOpenIDConnectProvider(r -> r.openIDConnectProviderArn(arn).tagKeys("B"));

        var keys = new ArrayList<String>();
        String marker = null;
        int pages = 0;
        do {
            String from = marker;
            ListOpenIdConnectProviderTagsResponse page = iam.listOpenIDConnectProviderTags(
                    r -> r.openIDConnectProviderArn(arn).maxItems(2).marker(from));
            page.tags().forEach(tag -> keys.add(tag.key()));
            marker = page.isTruncated() ? page.marker() : null;
            pages++;
        } while (marker != null);

        assertThat(keys).containsExactly("a", "c", "d");
        assertThat(pages).isEqualTo(2);
    }

    @Test
    void deleteOpenIdConnectProvider_thenGetAndASecondDelete_areNoSuchEntity404InAwsWords() {
        String arn = createOidc("https://deleted.example.com");

        iam.deleteOpenIDConnectProvider(r -> r.openIDConnectProviderArn(arn));
        NoSuchEntityException get = catchThrowableOfType(NoSuchEntityException.class,
                () -> iam.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(arn)));
        NoSuchEntityException delete = catchThrowableOfType(NoSuchEntityException.class,
                () -> iam.deleteOpenIDConnectProvider(r -> r.openIDConnectProviderArn(arn)));

        assertThat(get.statusCode()).isEqualTo(404);
        assertThat(get.awsErrorDetails().errorMessage()).isEqualTo("OpenIDConnect Provider not found for arn " + arn);
        assertThat(delete.statusCode()).isEqualTo(404);
        assertThat(delete.awsErrorDetails().errorMessage())
                .isEqualTo("OpenId connect Provider " + arn + " cannot be found.");
    }

    @Test
    void createOpenIdConnectProvider_urlTaken_isEntityAlreadyExists409() {
        createOidc("https://taken.example.com");

        EntityAlreadyExistsException e = catchThrowableOfType(EntityAlreadyExistsException.class,
                () -> createOidc("https://TAKEN.example.com"));

        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("Provider with url https://TAKEN.example.com already exists.");
    }

    @Test
    void createOpenIdConnectProvider_urlWithoutHttps_isValidationError400() {
        for (String url : List.of("example.org", "http://plain.example.com")) {
            IamException e = catchThrowableOfType(IamException.class, () -> createOidc(url));

            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Invalid Open ID Connect Provider URL");
        }
    }

    @Test
    void createOpenIdConnectProvider_sixThumbprints_isInvalidInput400() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> iam.createOpenIDConnectProvider(r -> r.url("https://prints.example.com").thumbprintList(
                        "1".repeat(40), "2".repeat(40), "3".repeat(40), "4".repeat(40), "5".repeat(40),
                        "6".repeat(40))));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Thumbprint list must contain fewer than 5 entries.");
    }

    @Test
    void createOpenIdConnectProvider_shortThumbprint_isValidationError400() {
        IamException e = catchThrowableOfType(IamException.class,
                () -> iam.createOpenIDConnectProvider(r -> r.url("https://short.example.com")
                        .thumbprintList("abc")));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value at "
                + "'thumbprintList' failed to satisfy constraint: Member must satisfy constraint: [Member must have "
                + "length less than or equal to 40, Member must have length greater than or equal to 40]");
    }

    @Test
    void createOpenIdConnectProvider_threeViolations_areListedInAwsRecordedOrder() {
        IamException e = catchThrowableOfType(IamException.class,
                () -> iam.createOpenIDConnectProvider(r -> r.url("b".repeat(256)).thumbprintList("b".repeat(41))
                        .clientIDList("b".repeat(256))));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("3 validation errors detected: Value at "
                + "'clientIDList' failed to satisfy constraint: Member must satisfy constraint: [Member must have "
                + "length less than or equal to 255, Member must have length greater than or equal to 1]; Value at "
                + "'thumbprintList' failed to satisfy constraint: Member must satisfy constraint: [Member must have "
                + "length less than or equal to 40, Member must have length greater than or equal to 40]; Value at "
                + "'url' failed to satisfy constraint: Member must have length less than or equal to 255");
    }

    @Test
    void getOpenIdConnectProvider_roleArn_isInvalidInput400() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> iam.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(
                        "arn:aws:iam::123456789012:role/admin")));

        assertThat(e.statusCode()).isEqualTo(400);
    }

    @Test
    void providerActions_roleArn_isInvalidInputBeforeAuthorization_evenForACallerWithoutPolicies() {
        try (IamClient denied = SdkClients.iam(node, nobody)) {
            InvalidInputException oidc = catchThrowableOfType(InvalidInputException.class,
                    () -> denied.deleteOpenIDConnectProvider(r -> r.openIDConnectProviderArn(
                            "arn:aws:iam::123456789012:role/admin")));
            InvalidInputException saml = catchThrowableOfType(InvalidInputException.class,
                    () -> denied.getSAMLProvider(r -> r.samlProviderArn("arn:aws:iam::123456789012:role/admin")));

            assertThat(oidc.awsErrorDetails().errorMessage())
                    .isEqualTo("ARN arn:aws:iam::123456789012:role/admin is not valid.");
            assertThat(saml.statusCode()).isEqualTo(400);
        }
    }

    // ---- SAML providers

    @Test
    void createSamlProvider_thenGet_returnsTheDocumentVerbatim() {
        String document = metadata("https://idp.example.com/verbatim", " validUntil=\"2031-01-02T03:04:05Z\"");
        var created = iam.createSAMLProvider(r -> r.name("Verbatim").samlMetadataDocument(document)
                .tags(tag("Team", "Identity")));

        GetSamlProviderResponse provider = iam.getSAMLProvider(r -> r.samlProviderArn(created.samlProviderArn()));

        assertThat(created.samlProviderArn()).isEqualTo("arn:aws:iam::123456789012:saml-provider/Verbatim");
        assertThat(created.tags()).containsExactly(tag("Team", "Identity"));
        assertThat(provider.samlMetadataDocument()).isEqualTo(document);
        assertThat(provider.samlProviderUUID()).matches("[A-Z0-9]{32}");
        assertThat(provider.validUntil()).isEqualTo(Instant.parse("2031-01-02T03:04:05Z"));
        assertThat(provider.createDate()).isAfter(Instant.now().minusSeconds(60));
        assertThat(provider.tags()).containsExactly(tag("Team", "Identity"));
        assertThat(provider.assertionEncryptionModeAsString()).as("AWS's default").isEqualTo("Allowed");
        assertThat(provider.hasPrivateKeyList()).as("present, and empty").isTrue();
        assertThat(provider.privateKeyList()).isEmpty();
    }

    @Test
    void updateSamlProvider_replacesTheDocument_andListShowsItsValidity() {
        String arn = iam.createSAMLProvider(r -> r.name("Updated")
                .samlMetadataDocument(metadata("https://old.example.com", ""))).samlProviderArn();
        String replacement = metadata("https://new.example.com", " validUntil=\"2032-05-06T07:08:09Z\"");

        String updated = iam.updateSAMLProvider(r -> r.samlProviderArn(arn).samlMetadataDocument(replacement)
                .assertionEncryptionMode("Allowed")).samlProviderArn();

        assertThat(updated).isEqualTo(arn);
        GetSamlProviderResponse provider = iam.getSAMLProvider(r -> r.samlProviderArn(arn));
        assertThat(provider.samlMetadataDocument()).isEqualTo(replacement);
        assertThat(provider.assertionEncryptionModeAsString()).isEqualTo("Allowed");
        SAMLProviderListEntry listed = iam.listSAMLProviders().samlProviderList().stream()
                .filter(entry -> entry.arn().equals(arn)).findFirst().orElseThrow();
        assertThat(listed.validUntil()).isEqualTo(Instant.parse("2032-05-06T07:08:09Z"));
        assertThat(listed.createDate()).isEqualTo(provider.createDate());
    }

    @Test
    void samlProvider_whoseMetadataSetsNoValidUntil_isValidForAHundredYearsAfterItsCreation() {
        String arn = iam.createSAMLProvider(r -> r.name("Open")
                .samlMetadataDocument(metadata("https://open.example.com", ""))).samlProviderArn();

        GetSamlProviderResponse provider = iam.getSAMLProvider(r -> r.samlProviderArn(arn));
        SAMLProviderListEntry listed = iam.listSAMLProviders().samlProviderList().stream()
                .filter(entry -> entry.arn().equals(arn)).findFirst().orElseThrow();

        Instant hundredYears = provider.createDate().atOffset(ZoneOffset.UTC).plusYears(100).toInstant();
        assertThat(provider.validUntil()).isEqualTo(hundredYears);
        assertThat(listed.validUntil()).isEqualTo(hundredYears);
    }

    @Test
    void samlProviderTags_tagUntagAndList() {
        String arn = iam.createSAMLProvider(r -> r.name("Tagged")
                .samlMetadataDocument(metadata("https://tags.example.com", ""))).samlProviderArn();

        iam.tagSAMLProvider(r -> r.samlProviderArn(arn).tags(tag("Env", "prod"), tag("Owner", "x")));
        iam.untagSAMLProvider(r -> r.samlProviderArn(arn).tagKeys("owner"));

        assertThat(iam.listSAMLProviderTags(r -> r.samlProviderArn(arn)).tags()).containsExactly(tag("Env", "prod"));
    }

    @Test
    void deleteSamlProvider_thenDeleteAgain_isNoSuchEntity404() {
        String arn = iam.createSAMLProvider(r -> r.name("Deleted")
                .samlMetadataDocument(metadata("https://gone.example.com", ""))).samlProviderArn();

        iam.deleteSAMLProvider(r -> r.samlProviderArn(arn));
        NoSuchEntityException e = catchThrowableOfType(NoSuchEntityException.class,
                () -> iam.deleteSAMLProvider(r -> r.samlProviderArn(arn)));

        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Manifest not found for arn " + arn);
    }

    @Test
    void createSamlProvider_documentThatIsNotMetadata_isInvalidInput400() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> iam.createSAMLProvider(r -> r.name("Broken").samlMetadataDocument(
                        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"
                                + " ".repeat(1000))));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Could not parse metadata");
    }

    @Test
    void createSamlProvider_nameTaken_isEntityAlreadyExists409() {
        iam.createSAMLProvider(r -> r.name("Twice").samlMetadataDocument(metadata("https://twice.example.com", "")));

        EntityAlreadyExistsException e = catchThrowableOfType(EntityAlreadyExistsException.class,
                () -> iam.createSAMLProvider(r -> r.name("TWICE")
                        .samlMetadataDocument(metadata("https://twice.example.com", ""))));

        assertThat(e.statusCode()).isEqualTo(409);
    }

    @Test
    void createSamlProvider_withAPrivateKey_isRefusedWithoutEchoingIt() {
        String key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> iam.createSAMLProvider(r -> r.name("Keyed").addPrivateKey(key)
                        .samlMetadataDocument(metadata("https://keyed.example.com", ""))));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage()).doesNotContain("MIIE");
        assertThat(iam.listSAMLProviders().samlProviderList()).extracting(SAMLProviderListEntry::arn)
                .doesNotContain("arn:aws:iam::123456789012:saml-provider/Keyed");
    }

    @Test
    void createSamlProvider_nameWithASpace_isValidationError400() {
        IamException e = catchThrowableOfType(IamException.class,
                () -> iam.createSAMLProvider(r -> r.name("Has Space")
                        .samlMetadataDocument(metadata("https://space.example.com", ""))));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(e.awsErrorDetails().errorMessage()).contains("at 'name' failed to satisfy constraint");
    }

    // ---- authorization

    record Call(String name, java.util.function.Consumer<IamClient> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Call> providerCalls() {
        String oidc = "arn:aws:iam::123456789012:oidc-provider/anything.example.com";
        String saml = "arn:aws:iam::123456789012:saml-provider/Anything";
        return Stream.of(
                new Call("CreateOpenIDConnectProvider", c -> c.createOpenIDConnectProvider(
                        r -> r.url("https://denied.example.com"))),
                new Call("GetOpenIDConnectProvider", c -> c.getOpenIDConnectProvider(
                        r -> r.openIDConnectProviderArn(oidc))),
                new Call("ListOpenIDConnectProviders", IamClient::listOpenIDConnectProviders),
                new Call("DeleteOpenIDConnectProvider", c -> c.deleteOpenIDConnectProvider(
                        r -> r.openIDConnectProviderArn(oidc))),
                new Call("AddClientIDToOpenIDConnectProvider", c -> c.addClientIDToOpenIDConnectProvider(
                        r -> r.openIDConnectProviderArn(oidc).clientID("app"))),
                new Call("RemoveClientIDFromOpenIDConnectProvider", c -> c.removeClientIDFromOpenIDConnectProvider(
                        r -> r.openIDConnectProviderArn(oidc).clientID("app"))),
                new Call("UpdateOpenIDConnectProviderThumbprint", c -> c.updateOpenIDConnectProviderThumbprint(
                        r -> r.openIDConnectProviderArn(oidc).thumbprintList(THUMBPRINT))),
                new Call("TagOpenIDConnectProvider", c -> c.tagOpenIDConnectProvider(
                        r -> r.openIDConnectProviderArn(oidc).tags(tag("k", "v")))),
                new Call("UntagOpenIDConnectProvider", c -> c.untagOpenIDConnectProvider(
                        r -> r.openIDConnectProviderArn(oidc).tagKeys("k"))),
                new Call("ListOpenIDConnectProviderTags", c -> c.listOpenIDConnectProviderTags(
                        r -> r.openIDConnectProviderArn(oidc))),
                new Call("CreateSAMLProvider", c -> c.createSAMLProvider(r -> r.name("Denied")
                        .samlMetadataDocument(metadata("https://denied.example.com", "")))),
                new Call("GetSAMLProvider", c -> c.getSAMLProvider(r -> r.samlProviderArn(saml))),
                new Call("UpdateSAMLProvider", c -> c.updateSAMLProvider(r -> r.samlProviderArn(saml)
                        .assertionEncryptionMode("Allowed"))),
                new Call("ListSAMLProviders", IamClient::listSAMLProviders),
                new Call("DeleteSAMLProvider", c -> c.deleteSAMLProvider(r -> r.samlProviderArn(saml))),
                new Call("TagSAMLProvider", c -> c.tagSAMLProvider(r -> r.samlProviderArn(saml)
                        .tags(tag("k", "v")))),
                new Call("UntagSAMLProvider", c -> c.untagSAMLProvider(r -> r.samlProviderArn(saml).tagKeys("k"))),
                new Call("ListSAMLProviderTags", c -> c.listSAMLProviderTags(r -> r.samlProviderArn(saml))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providerCalls")
    void userWithoutAnyPolicy_isAccessDenied403(Call call) {
        try (IamClient client = client(nobody)) {
            IamException e = catchThrowableOfType(IamException.class, () -> call.call().accept(client));

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(e.awsErrorDetails().errorMessage()).startsWith("User: arn:aws:iam::123456789012:user/nobody "
                    + "is not authorized to perform: iam:" + call.name() + " on resource: arn:aws:iam::123456789012:")
                    .contains(" because no identity-based policy allows the iam:" + call.name() + " action. ");
        }
    }

    @Test
    void policyAllowingOneActionOnOneProvider_allowsThatAndNothingElse() {
        createOidc("https://visible.example.com");
        String other = createOidc("https://invisible.example.com");

        try (IamClient client = client(viewer)) {
            assertThat(client.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(VISIBLE_ARN)).url())
                    .isEqualTo("visible.example.com");
            for (Runnable denied : List.<Runnable>of(
                    () -> client.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(other)),
                    () -> client.deleteOpenIDConnectProvider(r -> r.openIDConnectProviderArn(VISIBLE_ARN)),
                    () -> client.listOpenIDConnectProviders(),
                    () -> client.tagOpenIDConnectProvider(r -> r.openIDConnectProviderArn(VISIBLE_ARN)
                            .tags(tag("k", "v"))))) {
                IamException e = catchThrowableOfType(IamException.class, denied::run);
                assertThat(e.statusCode()).isEqualTo(403);
            }
        }
    }

    @Test
    void denyOnAProvider_holdsHoweverTheCallerSpellsItsArn() {
        String arn = createOidc("https://hidden.example.com");

        try (IamClient client = client(guarded)) {
            for (String spelling : List.of(arn, arn.replace("hidden.example.com", "HIDDEN.Example.com"))) {
                IamException e = catchThrowableOfType(IamException.class,
                        () -> client.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(spelling)));
                assertThat(e.statusCode()).as(spelling).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorMessage())
                        .contains("on resource: " + arn + " with an explicit deny in an identity-based policy. "
                                + "Encoded authorization failure message: ");
            }
        }
    }
}
