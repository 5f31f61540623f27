package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

class ProviderOperationsTest {
    private static final String ACCOUNT = "123456789012";
    private static final String OTHER_ACCOUNT = "210987654321";
    private static final String URL = "https://token.example.com/realms/main";
    private static final String OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/token.example.com/realms/main";
    private static final String SAML_ARN = "arn:aws:iam::123456789012:saml-provider/Corporate";
    private static final String THUMBPRINT = "6938fd4d98bab03faadb97b34396831e3780aea1";

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final IamService iam = new IamService(store, clock, new SecureRandom());
    private final ProviderOperations providers = iam.providers();

    ProviderOperationsTest() {
        iam.accounts().createAccount(ACCOUNT);
        iam.accounts().createAccount(OTHER_ACCOUNT);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ApiException rejection(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }

    /** A call refused with an error code and a message (or its start). */
    record Refusal(String name, Consumer<ProviderOperations> call, ErrorCode code, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private void assertRefused(Refusal refusal) {
        ApiException e = rejection(() -> refusal.call().accept(providers));

        assertThat(e.errorCode()).as(e.getMessage()).isEqualTo(refusal.code());
        assertThat(e.getMessage()).startsWith(refusal.message());
    }

    /**
     * SAML 2.0 metadata of an identity provider, padded with a certificate-sized element to the model's 1000-character
     * minimum.
     */
    static String metadata(String entityId, String validUntilAttribute) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" "
                + "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"" + entityId + "\"" + validUntilAttribute
                + ">\n  <md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n"
                + "    <md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>"
                + "MIIC" + "A".repeat(900) + "=</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n"
                + "    <md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" "
                + "Location=\"https://idp.example.com/sso\"/>\n  </md:IDPSSODescriptor>\n</md:EntityDescriptor>\n";
    }

    static String metadata() {
        return metadata("https://idp.example.com/saml", "");
    }

    private static String padded(String xml) {
        return xml + "<!--" + " ".repeat(1000) + "-->";
    }

    // ---- OpenID Connect providers

    @Test
    void createOpenIdConnectProvider_arnIsTheUrlWithoutItsScheme() {
        OpenIdConnectProvider provider = providers.createOpenIdConnectProvider(ACCOUNT, URL, List.of("app", "cli"),
                List.of(THUMBPRINT), List.of(new Tag("Team", "Platform")));

        assertThat(provider.arn()).isEqualTo(OIDC_ARN);
        assertThat(provider.url()).isEqualTo(URL);
        assertThat(provider.clientIds()).containsExactly("app", "cli");
        assertThat(provider.thumbprints()).containsExactly(THUMBPRINT);
        assertThat(provider.createDate()).isEqualTo(clock.instant());
        assertThat(providers.getOpenIdConnectProvider(ACCOUNT, OIDC_ARN)).isEqualTo(provider);
    }

    @Test
    void createOpenIdConnectProvider_withoutClientIdsOrThumbprints_isAccepted() {
        OpenIdConnectProvider provider = providers.createOpenIdConnectProvider(ACCOUNT, URL, List.of(), List.of(),
                List.of());

        assertThat(provider.clientIds()).isEmpty();
        assertThat(provider.thumbprints()).isEmpty();
    }

    @Test
    void createOpenIdConnectProvider_repeatedClientIdsAndThumbprints_areKeptOnce() {
        OpenIdConnectProvider provider = providers.createOpenIdConnectProvider(ACCOUNT, URL,
                List.of("app", "cli", "app"), List.of(THUMBPRINT, THUMBPRINT.toUpperCase()), List.of());

        assertThat(provider.clientIds()).containsExactly("app", "cli");
        assertThat(provider.thumbprints()).containsExactly(THUMBPRINT);
    }

    @Test
    void getOpenIdConnectProvider_arnWithTheHostInAnotherCase_findsIt() {
        providers.createOpenIdConnectProvider(ACCOUNT, URL, List.of(), List.of(), List.of());

        assertThat(providers.getOpenIdConnectProvider(ACCOUNT, OIDC_ARN.replace("token.example", "TOKEN.Example"))
                .arn()).isEqualTo(OIDC_ARN);
    }

    @Test
    void listOpenIdConnectProviders_areTheAccountsSortedByArn() {
        providers.createOpenIdConnectProvider(ACCOUNT, "https://b.example.com", List.of(), List.of(), List.of());
        providers.createOpenIdConnectProvider(ACCOUNT, "https://a.example.com", List.of(), List.of(), List.of());
        providers.createOpenIdConnectProvider(OTHER_ACCOUNT, "https://c.example.com", List.of(), List.of(), List.of());

        assertThat(providers.listOpenIdConnectProviders(ACCOUNT)).extracting(OpenIdConnectProvider::arn)
                .containsExactly("arn:aws:iam::123456789012:oidc-provider/a.example.com",
                        "arn:aws:iam::123456789012:oidc-provider/b.example.com");
    }

    @Test
    void deleteOpenIdConnectProvider_deletesIt_andASecondDeleteIsNoSuchEntity() {
        providers.createOpenIdConnectProvider(ACCOUNT, URL, List.of(), List.of(), List.of(new Tag("k", "v")));

        providers.deleteOpenIdConnectProvider(ACCOUNT, OIDC_ARN);
        ApiException again = rejection(() -> providers.deleteOpenIdConnectProvider(ACCOUNT, OIDC_ARN));

        assertThat(providers.listOpenIdConnectProviders(ACCOUNT)).isEmpty();
        assertThat(rejection(() -> providers.getOpenIdConnectProvider(ACCOUNT, OIDC_ARN)).errorCode())
                .isEqualTo(ErrorCode.NO_SUCH_ENTITY);
        assertThat(again.errorCode()).isEqualTo(ErrorCode.NO_SUCH_ENTITY);
        assertThat(again.getMessage()).isEqualTo("OpenId connect Provider " + OIDC_ARN + " cannot be found.");
    }

    @Test
    void addAndRemoveClientId_areIdempotent() {
        providers.createOpenIdConnectProvider(ACCOUNT, URL, List.of("app"), List.of(), List.of());

        providers.addClientIdToOpenIdConnectProvider(ACCOUNT, OIDC_ARN, "app");
        providers.addClientIdToOpenIdConnectProvider(ACCOUNT, OIDC_ARN, "web");
        providers.removeClientIdFromOpenIdConnectProvider(ACCOUNT, OIDC_ARN, "app");
        providers.removeClientIdFromOpenIdConnectProvider(ACCOUNT, OIDC_ARN, "none");

        assertThat(providers.getOpenIdConnectProvider(ACCOUNT, OIDC_ARN).clientIds()).containsExactly("web");
    }

    @Test
    void updateOpenIdConnectProviderThumbprint_replacesTheList() {
        providers.createOpenIdConnectProvider(ACCOUNT, URL, List.of(), List.of(THUMBPRINT), List.of());
        String other = "a".repeat(40);

        providers.updateOpenIdConnectProviderThumbprint(ACCOUNT, OIDC_ARN, List.of(other));

        assertThat(providers.getOpenIdConnectProvider(ACCOUNT, OIDC_ARN).thumbprints()).containsExactly(other);
    }

    @Test
    void tagAndUntagOpenIdConnectProvider_replaceKeysInAnyCase() {
        providers.createOpenIdConnectProvider(ACCOUNT, URL, List.of(), List.of(),
                List.of(new Tag("Team", "a"), new Tag("Env", "dev")));

        providers.tagOpenIdConnectProvider(ACCOUNT, OIDC_ARN, List.of(new Tag("TEAM", "b"), new Tag("Owner", "x")));
        providers.untagOpenIdConnectProvider(ACCOUNT, OIDC_ARN, List.of("ENV", "absent"));

        assertThat(providers.getOpenIdConnectProvider(ACCOUNT, OIDC_ARN).tags())
                .containsExactly(new Tag("TEAM", "b"), new Tag("Owner", "x"));
    }

    @Test
    void listOpenIdConnectProviderTags_pagesThroughTheTagsByKey() {
        providers.createOpenIdConnectProvider(ACCOUNT, URL, List.of(), List.of(),
                List.of(new Tag("c", "3"), new Tag("a", "1"), new Tag("B", "2")));

        Page<Tag> first = providers.listOpenIdConnectProviderTags(ACCOUNT, OIDC_ARN, Optional.empty(), Optional.of(2));
        Page<Tag> second = providers.listOpenIdConnectProviderTags(ACCOUNT, OIDC_ARN, first.marker(), Optional.of(2));

        assertThat(first.items()).containsExactly(new Tag("a", "1"), new Tag("B", "2"));
        assertThat(first.isTruncated()).isTrue();
        assertThat(second.items()).containsExactly(new Tag("c", "3"));
        assertThat(second.isTruncated()).isFalse();
    }

    static Stream<String> invalidIssuerUrls() {
        return Stream.of("token.example.com", "http://token.example.com", "https://token.example.com?aud=x",
                "https://token.example.com/#fragment", "https://user@token.example.com", "https://",
                "https:///path", "https://token example.com", "HTTPS://token.example.com");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidIssuerUrls")
    void createOpenIdConnectProvider_urlThatIsNotAnHttpsIssuer_isValidationError(String url) {
        ApiException e = rejection(() -> providers.createOpenIdConnectProvider(ACCOUNT, url, List.of(), List.of(),
                List.of()));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.getMessage()).isEqualTo("Invalid Open ID Connect Provider URL");
    }

    static Stream<Refusal> openIdConnectProviderRefusals() {
        List<String> manyClientIds = IntStream.rangeClosed(1, 101).mapToObj(n -> "app" + n).toList();
        List<String> sixThumbprints = IntStream.rangeClosed(1, 6).mapToObj(n -> Integer.toString(n).repeat(40))
                .toList();
        return Stream.of(
                new Refusal("a URL longer than 255 characters is a ValidationError",
                        ops -> ops.createOpenIdConnectProvider(ACCOUNT, "https://" + "a".repeat(248), List.of(),
                                List.of(), List.of()),
                        ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at 'url' failed to satisfy "
                                + "constraint: Member must have length less than or equal to 255"),
                new Refusal("101 client ids are over the quota",
                        ops -> ops.createOpenIdConnectProvider(ACCOUNT, URL, manyClientIds, List.of(), List.of()),
                        ErrorCode.LIMIT_EXCEEDED, "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100"),
                new Refusal("a client id of 256 characters is a ValidationError",
                        ops -> ops.createOpenIdConnectProvider(ACCOUNT, URL, List.of("x".repeat(256)), List.of(),
                                List.of()),
                        ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at 'clientIDList' failed to "
                                + "satisfy constraint: Member must satisfy constraint: [Member must have length less "
                                + "than or equal to 255, Member must have length greater than or equal to 1]"),
                new Refusal("a client id with a line break is refused (the store keeps one per line)",
                        ops -> ops.createOpenIdConnectProvider(ACCOUNT, URL, List.of("app\nevil"), List.of(),
                                List.of()),
                        ErrorCode.INVALID_INPUT, "Client IDs must not contain control characters."),
                new Refusal("six thumbprints are InvalidInput, in AWS's words",
                        ops -> ops.createOpenIdConnectProvider(ACCOUNT, URL, List.of(), sixThumbprints,
                                List.of()),
                        ErrorCode.INVALID_INPUT, "Thumbprint list must contain fewer than 5 entries."),
                new Refusal("a thumbprint that is not hexadecimal is InvalidInput",
                        ops -> ops.createOpenIdConnectProvider(ACCOUNT, URL, List.of(), List.of("g".repeat(40)),
                                List.of()),
                        ErrorCode.INVALID_INPUT, "Thumbprint " + "g".repeat(40) + " is not 40 hexadecimal"),
                new Refusal("a thumbprint of 39 characters is a ValidationError",
                        ops -> ops.createOpenIdConnectProvider(ACCOUNT, URL, List.of(), List.of("a".repeat(39)),
                                List.of()),
                        ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at 'thumbprintList' failed to "
                                + "satisfy constraint: Member must satisfy constraint: [Member must have length less "
                                + "than or equal to 40, Member must have length greater than or equal to 40]"),
                new Refusal("duplicate tag keys in any case are InvalidInput",
                        ops -> ops.createOpenIdConnectProvider(ACCOUNT, URL, List.of(), List.of(),
                                List.of(new Tag("k", "1"), new Tag("K", "2"))),
                        ErrorCode.INVALID_INPUT, "Duplicate tag keys found."),
                new Refusal("an account that does not exist is NoSuchEntity",
                        ops -> ops.createOpenIdConnectProvider("999999999999", URL, List.of(), List.of(),
                                List.of()),
                        ErrorCode.NO_SUCH_ENTITY, "The account 999999999999 cannot be found."),
                new Refusal("getting a provider that does not exist is NoSuchEntity",
                        ops -> ops.getOpenIdConnectProvider(ACCOUNT, OIDC_ARN),
                        ErrorCode.NO_SUCH_ENTITY, "OpenIDConnect Provider not found for arn " + OIDC_ARN),
                new Refusal("a role ARN is not a provider ARN",
                        ops -> ops.getOpenIdConnectProvider(ACCOUNT, "arn:aws:iam::123456789012:role/r"),
                        ErrorCode.INVALID_INPUT, "ARN arn:aws:iam::123456789012:role/r is not valid."),
                new Refusal("a provider ARN without a URL is not valid",
                        ops -> ops.getOpenIdConnectProvider(ACCOUNT,
                                "arn:aws:iam::123456789012:oidc-provider/"),
                        ErrorCode.INVALID_INPUT, "ARN arn:aws:iam::123456789012:oidc-provider/ is not valid."),
                new Refusal("deleting with a role ARN is InvalidInput, not an idempotent success",
                        ops -> ops.deleteOpenIdConnectProvider(ACCOUNT, "arn:aws:iam::123456789012:role/r"),
                        ErrorCode.INVALID_INPUT, "ARN arn:aws:iam::123456789012:role/r is not valid."),
                new Refusal("adding a client id to a provider that does not exist is NoSuchEntity",
                        ops -> ops.addClientIdToOpenIdConnectProvider(ACCOUNT, OIDC_ARN, "app"),
                        ErrorCode.NO_SUCH_ENTITY, "OpenIDConnect Provider not found for arn"),
                new Refusal("tagging a provider that does not exist is NoSuchEntity",
                        ops -> ops.tagOpenIdConnectProvider(ACCOUNT, OIDC_ARN, List.of(new Tag("k", "v"))),
                        ErrorCode.NO_SUCH_ENTITY, "OpenIDConnect Provider not found for arn"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openIdConnectProviderRefusals")
    void openIdConnectProvider_refusal(Refusal refusal) {
        assertRefused(refusal);
    }

    @Test
    void createOpenIdConnectProvider_urlRegisteredWithTheHostInAnotherCase_isEntityAlreadyExists() {
        providers.createOpenIdConnectProvider(ACCOUNT, URL, List.of(), List.of(), List.of());

        ApiException e = rejection(() -> providers.createOpenIdConnectProvider(ACCOUNT,
                "https://TOKEN.example.com/realms/main", List.of(), List.of(), List.of()));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ENTITY_ALREADY_EXISTS);
        assertThat(e.errorCode().httpStatus()).isEqualTo(409);
        assertThat(e.getMessage())
                .isEqualTo("Provider with url https://TOKEN.example.com/realms/main already exists.");
    }

    @Test
    void createOpenIdConnectProvider_sameUrlInAnotherAccount_isAnotherProvider() {
        providers.createOpenIdConnectProvider(ACCOUNT, URL, List.of(), List.of(), List.of());

        OpenIdConnectProvider other = providers.createOpenIdConnectProvider(OTHER_ACCOUNT, URL, List.of(), List.of(),
                List.of());

        assertThat(other.arn()).isEqualTo("arn:aws:iam::210987654321:oidc-provider/token.example.com/realms/main");
    }

    @Test
    void getOpenIdConnectProvider_ofAnotherAccount_isNoSuchEntity() {
        providers.createOpenIdConnectProvider(OTHER_ACCOUNT, URL, List.of(), List.of(), List.of());
        String theirs = "arn:aws:iam::210987654321:oidc-provider/token.example.com/realms/main";

        assertThat(rejection(() -> providers.getOpenIdConnectProvider(ACCOUNT, theirs)).errorCode())
                .isEqualTo(ErrorCode.NO_SUCH_ENTITY);
        assertThat(rejection(() -> providers.deleteOpenIdConnectProvider(ACCOUNT, theirs)).errorCode())
                .isEqualTo(ErrorCode.NO_SUCH_ENTITY);
        assertThat(providers.getOpenIdConnectProvider(OTHER_ACCOUNT, theirs).arn()).isEqualTo(theirs);
    }

    @Test
    void createOpenIdConnectProvider_theHundredAndFirst_isLimitExceeded() {
        for (int i = 0; i < ProviderOperations.MAX_OPEN_ID_CONNECT_PROVIDERS_PER_ACCOUNT; i++) {
            providers.createOpenIdConnectProvider(ACCOUNT, "https://idp" + i + ".example.com", List.of(), List.of(),
                    List.of());
        }

        ApiException e = rejection(() -> providers.createOpenIdConnectProvider(ACCOUNT, URL, List.of(), List.of(),
                List.of()));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.getMessage()).isEqualTo("Cannot exceed quota for OpenIdConnectProvidersPerAccount: 100");
    }

    @Test
    void addClientIdToOpenIdConnectProvider_theHundredAndFirst_isLimitExceeded() {
        List<String> hundred = IntStream.rangeClosed(1, 100).mapToObj(n -> "app" + n).toList();
        providers.createOpenIdConnectProvider(ACCOUNT, URL, hundred, List.of(), List.of());

        providers.addClientIdToOpenIdConnectProvider(ACCOUNT, OIDC_ARN, "app1");
        ApiException e = rejection(() -> providers.addClientIdToOpenIdConnectProvider(ACCOUNT, OIDC_ARN, "one-more"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
    }

    @Test
    void updateOpenIdConnectProviderThumbprint_sixThumbprints_isInvalidInput() {
        providers.createOpenIdConnectProvider(ACCOUNT, URL, List.of(), List.of(), List.of());
        List<String> six = IntStream.rangeClosed(1, 6).mapToObj(n -> Integer.toString(n).repeat(40)).toList();

        ApiException e = rejection(() -> providers.updateOpenIdConnectProviderThumbprint(ACCOUNT, OIDC_ARN, six));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(e.getMessage()).isEqualTo("Thumbprint list must contain fewer than 5 entries.");
    }

    @Test
    void tagOpenIdConnectProvider_beyondFiftyTags_isLimitExceeded() {
        List<Tag> fifty = IntStream.range(0, 50).mapToObj(n -> new Tag("k" + n, "v")).toList();
        providers.createOpenIdConnectProvider(ACCOUNT, URL, List.of(), List.of(), fifty);

        providers.tagOpenIdConnectProvider(ACCOUNT, OIDC_ARN, List.of(new Tag("K0", "replaced")));
        ApiException e = rejection(() -> providers.tagOpenIdConnectProvider(ACCOUNT, OIDC_ARN,
                List.of(new Tag("k50", "v"))));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.getMessage()).isEqualTo("The number of tags has reached the maximum limit.");
        assertThat(providers.getOpenIdConnectProvider(ACCOUNT, OIDC_ARN).tags()).hasSize(50)
                .contains(new Tag("K0", "replaced"));
    }

    // ---- SAML providers

    @Test
    void createSamlProvider_keepsTheDocumentVerbatim_withARandomUuid() {
        String document = metadata();

        SamlProvider provider = providers.createSamlProvider(ACCOUNT, "Corporate", document, Optional.empty(),
                List.of(new Tag("Team", "Identity")));
        SamlProvider another = providers.createSamlProvider(ACCOUNT, "Other", document, Optional.empty(), List.of());

        assertThat(provider.arn()).isEqualTo(SAML_ARN);
        assertThat(provider.metadataDocument()).isEqualTo(document);
        assertThat(provider.providerUuid()).matches("[A-Z0-9]{32}").isNotEqualTo(another.providerUuid());
        assertThat(provider.validUntil()).isEmpty();
        assertThat(provider.createDate()).isEqualTo(clock.instant());
        assertThat(providers.getSamlProvider(ACCOUNT, SAML_ARN)).isEqualTo(provider);
    }

    @Test
    void createSamlProvider_takesValidUntilFromTheMetadata() {
        SamlProvider provider = providers.createSamlProvider(ACCOUNT, "Corporate",
                metadata("https://idp.example.com/saml", " validUntil=\"2031-01-02T03:04:05Z\""), Optional.empty(),
                List.of());

        assertThat(provider.validUntil()).contains(Instant.parse("2031-01-02T03:04:05Z"));
    }

    @Test
    void createSamlProvider_validUntilWithoutZone_isUtc() {
        SamlProvider provider = providers.createSamlProvider(ACCOUNT, "Corporate",
                metadata("https://idp.example.com/saml", " validUntil=\"2031-01-02T03:04:05.250\""), Optional.empty(),
                List.of());

        assertThat(provider.validUntil()).contains(Instant.parse("2031-01-02T03:04:05.250Z"));
    }

    @Test
    void createSamlProvider_encryptionAllowed_isKept() {
        SamlProvider provider = providers.createSamlProvider(ACCOUNT, "Corporate", metadata(), Optional.of("Allowed"),
                List.of());

        assertThat(providers.getSamlProvider(ACCOUNT, SAML_ARN).assertionEncryptionMode()).contains("Allowed");
        assertThat(provider.assertionEncryptionMode()).contains("Allowed");
    }

    @Test
    void getSamlProvider_nameInAnotherCase_findsIt() {
        providers.createSamlProvider(ACCOUNT, "Corporate", metadata(), Optional.empty(), List.of());

        assertThat(providers.getSamlProvider(ACCOUNT, SAML_ARN.replace("Corporate", "CORPORATE")).arn())
                .isEqualTo(SAML_ARN);
    }

    @Test
    void listSamlProviders_areTheAccountsSortedByArn() {
        providers.createSamlProvider(ACCOUNT, "b", metadata(), Optional.empty(), List.of());
        providers.createSamlProvider(ACCOUNT, "a", metadata(), Optional.empty(), List.of());
        providers.createSamlProvider(OTHER_ACCOUNT, "c", metadata(), Optional.empty(), List.of());

        assertThat(providers.listSamlProviders(ACCOUNT)).extracting(SamlProvider::name).containsExactly("a", "b");
    }

    @Test
    void updateSamlProvider_replacesTheDocumentAndItsValidity() {
        providers.createSamlProvider(ACCOUNT, "Corporate",
                metadata("https://old.example.com", " validUntil=\"2030-01-01T00:00:00Z\""), Optional.empty(),
                List.of(new Tag("k", "v")));
        String replacement = metadata("https://new.example.com", "");

        SamlProvider updated = providers.updateSamlProvider(ACCOUNT, SAML_ARN, Optional.of(replacement),
                Optional.empty());

        assertThat(updated.metadataDocument()).isEqualTo(replacement);
        assertThat(updated.validUntil()).isEmpty();
        assertThat(providers.getSamlProvider(ACCOUNT, SAML_ARN)).isEqualTo(updated);
        assertThat(updated.tags()).containsExactly(new Tag("k", "v"));
    }

    @Test
    void updateSamlProvider_encryptionModeAlone_keepsTheDocument() {
        providers.createSamlProvider(ACCOUNT, "Corporate", metadata(), Optional.empty(), List.of());

        SamlProvider updated = providers.updateSamlProvider(ACCOUNT, SAML_ARN, Optional.empty(),
                Optional.of("Allowed"));

        assertThat(updated.metadataDocument()).isEqualTo(metadata());
        assertThat(updated.assertionEncryptionMode()).contains("Allowed");
    }

    @Test
    void deleteSamlProvider_deletesIt_thenIsNoSuchEntity() {
        providers.createSamlProvider(ACCOUNT, "Corporate", metadata(), Optional.empty(), List.of(new Tag("k", "v")));

        providers.deleteSamlProvider(ACCOUNT, SAML_ARN);

        assertThat(providers.listSamlProviders(ACCOUNT)).isEmpty();
        ApiException e = rejection(() -> providers.deleteSamlProvider(ACCOUNT, SAML_ARN));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.NO_SUCH_ENTITY);
        assertThat(e.getMessage()).isEqualTo("Manifest not found for arn " + SAML_ARN);
    }

    @Test
    void tagUntagAndListSamlProviderTags() {
        providers.createSamlProvider(ACCOUNT, "Corporate", metadata(), Optional.empty(), List.of(new Tag("a", "1")));

        providers.tagSamlProvider(ACCOUNT, SAML_ARN, List.of(new Tag("A", "2"), new Tag("b", "3")));
        providers.untagSamlProvider(ACCOUNT, SAML_ARN, List.of("B"));

        assertThat(providers.listSamlProviderTags(ACCOUNT, SAML_ARN, Optional.empty(), Optional.empty()).items())
                .containsExactly(new Tag("A", "2"));
    }

    @Test
    void createSamlProvider_nameTakenInAnotherCase_isEntityAlreadyExists() {
        providers.createSamlProvider(ACCOUNT, "Corporate", metadata(), Optional.empty(), List.of());

        ApiException e = rejection(() -> providers.createSamlProvider(ACCOUNT, "corporate", metadata(),
                Optional.empty(), List.of()));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ENTITY_ALREADY_EXISTS);
        assertThat(e.getMessage()).isEqualTo("SAML provider with name corporate already exists.");
    }

    @Test
    void createSamlProvider_theHundredAndFirst_isLimitExceeded() {
        for (int i = 0; i < ProviderOperations.MAX_SAML_PROVIDERS_PER_ACCOUNT; i++) {
            providers.createSamlProvider(ACCOUNT, "idp" + i, metadata(), Optional.empty(), List.of());
        }

        ApiException e = rejection(() -> providers.createSamlProvider(ACCOUNT, "Corporate", metadata(),
                Optional.empty(), List.of()));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.getMessage()).isEqualTo("Cannot exceed quota for SAMLProvidersPerAccount: 100");
    }

    record Metadata(String name, String document) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Metadata> documentsThatAreNotSamlMetadata() {
        String valid = metadata();
        return Stream.of(
                new Metadata("text that is not XML", "x".repeat(1200)),
                new Metadata("XML that is not well formed", valid.replace("</md:EntityDescriptor>", "")),
                new Metadata("another document element", padded("<Response entityID=\"x\"/>")),
                new Metadata("an EntityDescriptor outside the metadata namespace",
                        valid.replace("urn:oasis:names:tc:SAML:2.0:metadata", "urn:example:other")),
                new Metadata("an EntityDescriptor without an entityID",
                        valid.replace("entityID=\"https://idp.example.com/saml\"", "")),
                new Metadata("a validUntil that is not a date",
                        metadata("https://idp.example.com/saml", " validUntil=\"next year\"")),
                new Metadata("a DTD declaring an external entity (XXE)", "<?xml version=\"1.0\"?>\n"
                        + "<!DOCTYPE md:EntityDescriptor [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                        + valid.substring(valid.indexOf('\n') + 1).replace("entityID=\"https://idp.example.com/saml\"",
                                "entityID=\"&xxe;\"")),
                new Metadata("a DTD with nested entities (billion laughs)", "<?xml version=\"1.0\"?>\n"
                        + "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">]>\n"
                        + valid.substring(valid.indexOf('\n') + 1).replace("entityID=\"https://idp.example.com/saml\"",
                                "entityID=\"&lol2;\"")),
                new Metadata("an external DTD", "<?xml version=\"1.0\"?>\n"
                        + "<!DOCTYPE md:EntityDescriptor SYSTEM \"http://127.0.0.1:1/metadata.dtd\">\n"
                        + valid.substring(valid.indexOf('\n') + 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentsThatAreNotSamlMetadata")
    void createSamlProvider_documentThatIsNotSamlMetadata_isInvalidInput(Metadata metadata) {
        assertThat(metadata.document().length()).isGreaterThanOrEqualTo(1000);

        ApiException e = rejection(() -> providers.createSamlProvider(ACCOUNT, "Corporate", metadata.document(),
                Optional.empty(), List.of()));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(e.getMessage()).isEqualTo("Could not parse metadata");
        assertThat(providers.listSamlProviders(ACCOUNT)).isEmpty();
    }

    static Stream<Refusal> samlProviderRefusals() {
        return Stream.of(
                new Refusal("a document shorter than 1000 characters is a ValidationError",
                        ops -> ops.createSamlProvider(ACCOUNT, "Corporate", "<md:EntityDescriptor/>",
                                Optional.empty(), List.of()),
                        ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at "
                                + "'sAMLMetadataDocument' failed to satisfy constraint: Member must have length "
                                + "greater than or equal to 1000"),
                new Refusal("a name with a space breaks the pattern",
                        ops -> ops.createSamlProvider(ACCOUNT, "Corp orate", metadata(), Optional.empty(),
                                List.of()),
                        ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at 'name' failed "
                                + "to satisfy constraint: Member must satisfy regular expression pattern: [\\w._-]+"),
                new Refusal("a name of 129 characters is too long",
                        ops -> ops.createSamlProvider(ACCOUNT, "n".repeat(129), metadata(), Optional.empty(),
                                List.of()),
                        ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at 'name' failed to satisfy "
                                + "constraint: Member must have length less than or equal to 128"),
                new Refusal("an encryption mode outside the enum is a ValidationError",
                        ops -> ops.createSamlProvider(ACCOUNT, "Corporate", metadata(), Optional.of("Sometimes"),
                                List.of()),
                        ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at 'assertionEncryptionMode' "
                                + "failed to satisfy constraint: Member must satisfy enum value set"),
                new Refusal("requiring encryption without a private key is InvalidInput",
                        ops -> ops.createSamlProvider(ACCOUNT, "Corporate", metadata(), Optional.of("Required"),
                                List.of()),
                        ErrorCode.INVALID_INPUT, "AssertionEncryptionMode cannot be set to Required because no "
                                + "private key is provided."),
                new Refusal("getting a provider that does not exist is NoSuchEntity",
                        ops -> ops.getSamlProvider(ACCOUNT, SAML_ARN),
                        ErrorCode.NO_SUCH_ENTITY, "Manifest not found for arn " + SAML_ARN),
                new Refusal("a provider of another account is NoSuchEntity",
                        ops -> ops.getSamlProvider(ACCOUNT, "arn:aws:iam::210987654321:saml-provider/Corporate"),
                        ErrorCode.NO_SUCH_ENTITY, "Manifest not found for arn"),
                new Refusal("an OIDC provider ARN is not a SAML provider ARN",
                        ops -> ops.getSamlProvider(ACCOUNT, OIDC_ARN),
                        ErrorCode.INVALID_INPUT, "ARN " + OIDC_ARN + " is not valid."),
                new Refusal("an update that changes nothing is InvalidInput",
                        ops -> ops.updateSamlProvider(ACCOUNT, SAML_ARN, Optional.empty(), Optional.empty()),
                        ErrorCode.INVALID_INPUT, "No updates are defined for the SAML provider."),
                new Refusal("updating a provider that does not exist is NoSuchEntity",
                        ops -> ops.updateSamlProvider(ACCOUNT, SAML_ARN, Optional.of(metadata()),
                                Optional.empty()),
                        ErrorCode.NO_SUCH_ENTITY, "Manifest not found for arn " + SAML_ARN),
                new Refusal("tagging a provider that does not exist is NoSuchEntity",
                        ops -> ops.tagSamlProvider(ACCOUNT, SAML_ARN, List.of(new Tag("k", "v"))),
                        ErrorCode.NO_SUCH_ENTITY, "Manifest not found for arn " + SAML_ARN),
                new Refusal("listing the tags of a provider that does not exist is NoSuchEntity",
                        ops -> ops.listSamlProviderTags(ACCOUNT, SAML_ARN, Optional.empty(), Optional.empty()),
                        ErrorCode.NO_SUCH_ENTITY, "Manifest not found for arn " + SAML_ARN),
                new Refusal("a tag key starting with aws: is reserved",
                        ops -> ops.createSamlProvider(ACCOUNT, "Corporate", metadata(), Optional.empty(),
                                List.of(new Tag("aws:team", "x"))),
                        ErrorCode.INVALID_INPUT, "User-defined tag keys can't start with 'aws:'."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samlProviderRefusals")
    void samlProvider_refusal(Refusal refusal) {
        assertRefused(refusal);
    }

    @Test
    void updateSamlProvider_invalidDocument_keepsTheOldOne() {
        providers.createSamlProvider(ACCOUNT, "Corporate", metadata(), Optional.empty(), List.of());

        ApiException e = rejection(() -> providers.updateSamlProvider(ACCOUNT, SAML_ARN,
                Optional.of("y".repeat(1000)), Optional.empty()));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(providers.getSamlProvider(ACCOUNT, SAML_ARN).metadataDocument()).isEqualTo(metadata());
    }

    @Test
    void invalidMetadataMessage_neverEchoesTheDocument() {
        String secretLooking = "<secret>" + "s3cr3t".repeat(200) + "</secret>";

        ApiException e = rejection(() -> providers.createSamlProvider(ACCOUNT, "Corporate", secretLooking,
                Optional.empty(), List.of()));

        assertThat(e.getMessage()).doesNotContain("s3cr3t");
    }

    @Test
    void providersOfEveryKind_surviveInTheStore() {
        var created = new ArrayList<Object>();
        created.add(providers.createOpenIdConnectProvider(ACCOUNT, URL, List.of("app"), List.of(THUMBPRINT),
                List.of(new Tag("k", "v"))));
        created.add(providers.createSamlProvider(ACCOUNT, "Corporate", metadata(), Optional.of("Allowed"),
                List.of(new Tag("k", "v"))));

        assertThat(List.of(store.findOpenIdConnectProvider(OIDC_ARN).orElseThrow(),
                store.findSamlProvider(SAML_ARN).orElseThrow())).isEqualTo(created);
    }
}
