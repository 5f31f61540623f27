package org.opensts.iam;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.Arn;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.QueryBinder;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The IAM operations on identity providers: OpenID Connect providers, named by their issuer URL, and SAML 2.0
 * providers, named by the caller and described by the identity provider's metadata document.
 *
 * <p>Providers are found by ARN. An ARN that is not a provider ARN of the expected kind is {@code InvalidInput}; one
 * of another account, or of no provider, is {@code NoSuchEntity}. Names are compared without regard to case, as IAM
 * compares them, so a provider may be named in any case and two providers may not differ in case alone.
 */
public final class ProviderOperations {
    /** IAM quotas (IAM User Guide, "IAM and AWS STS quotas"). */
    static final int MAX_OPEN_ID_CONNECT_PROVIDERS_PER_ACCOUNT = 100;
    static final int MAX_CLIENT_IDS_PER_PROVIDER = 100;
    static final int MAX_THUMBPRINTS_PER_PROVIDER = 5;
    static final int MAX_SAML_PROVIDERS_PER_ACCOUNT = 100;

    static final String SAML_METADATA_NAMESPACE = "urn:oasis:names:tc:SAML:2.0:metadata";
    static final String ENCRYPTION_REQUIRED = "Required";

    private static final String HTTPS = "https://";
    private static final String OIDC_RESOURCE_TYPE = "oidc-provider";
    private static final String SAML_RESOURCE_TYPE = "saml-provider";

    private final IdentityStore store;
    private final Clock clock;
    private final SecureRandom random;

    ProviderOperations(IdentityStore store, Clock clock, SecureRandom random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    // ---- OpenID Connect providers

    /**
     * CreateOpenIDConnectProvider: registers the issuer {@code url}; its ARN is the URL without {@code https://}.
     * Repeated client ids and thumbprints are kept once. Thumbprints are optional, as they are on AWS today.
     *
     * @throws ApiException {@code InvalidInput} for a URL that is not {@code https://host[/path]}, a thumbprint that
     *     is not hexadecimal or a client id with control characters; {@code LimitExceeded} beyond 100 client ids, 5
     *     thumbprints or 100 providers in the account; {@code EntityAlreadyExists} if the URL is registered already;
     *     {@code ValidationError} for what the model forbids
     */
    public OpenIdConnectProvider createOpenIdConnectProvider(String accountId, String url, List<String> clientIds,
            List<String> thumbprints, List<Tag> tags) {
        QueryBinder.check(IamShapes.OPEN_ID_CONNECT_PROVIDER_URL, url, "url");
        checkIssuerUrl(url);
        List<String> audiences = clientIds(clientIds, "clientIDList");
        if (audiences.size() > MAX_CLIENT_IDS_PER_PROVIDER) {
            throw clientIdQuotaExceeded();
        }
        List<String> prints = thumbprints(thumbprints);
        IamChecks.checkTags(tags);
        String arn = Arn.iam(accountId, OIDC_RESOURCE_TYPE + "/" + url.substring(HTTPS.length())).toString();
        return IamChecks.createEntity(() -> store.write(writer -> {
            IamChecks.requireAccount(writer, accountId);
            List<OpenIdConnectProvider> existing = writer.listOpenIdConnectProviders(accountId);
            if (existing.stream().anyMatch(provider -> provider.arn().equalsIgnoreCase(arn))) {
                throw openIdConnectProviderExists(url);
            }
            if (existing.size() >= MAX_OPEN_ID_CONNECT_PROVIDERS_PER_ACCOUNT) {
                throw new ApiException(ErrorCode.LIMIT_EXCEEDED, "Cannot exceed quota for "
                        + "OpenIdConnectProvidersPerAccount: " + MAX_OPEN_ID_CONNECT_PROVIDERS_PER_ACCOUNT);
            }
            var provider = new OpenIdConnectProvider(arn, accountId, url, audiences, prints, clock.instant(), tags);
            writer.createOpenIdConnectProvider(provider);
            return provider;
        }), () -> openIdConnectProviderExists(url));
    }

    /** GetOpenIDConnectProvider. */
    public OpenIdConnectProvider getOpenIdConnectProvider(String accountId, String arn) {
        return requireOpenIdConnectProvider(store, accountId, arn);
    }

    /** ListOpenIDConnectProviders: every OIDC provider of the account, sorted by ARN (IAM does not paginate it). */
    public List<OpenIdConnectProvider> listOpenIdConnectProviders(String accountId) {
        return sorted(store.listOpenIdConnectProviders(accountId), OpenIdConnectProvider::arn);
    }

    /**
     * DeleteOpenIDConnectProvider.
     *
     * @throws ApiException {@code NoSuchEntity} for a provider that does not exist (or no longer does), worded as in
     *     AWS's real responses
     */
    public void deleteOpenIdConnectProvider(String accountId, String arn) {
        checkProviderArn(arn, OIDC_RESOURCE_TYPE, "openIDConnectProviderArn");
        store.write(writer -> {
            OpenIdConnectProvider provider = findOpenIdConnectProvider(writer, accountId, arn).orElseThrow(
                    () -> IamChecks.noSuchEntity("OpenId connect Provider " + arn + " cannot be found."));
            writer.deleteOpenIdConnectProvider(provider.arn());
            return null;
        });
    }

    /** AddClientIDToOpenIDConnectProvider: idempotent; a client id the provider has already is not added again. */
    public void addClientIdToOpenIdConnectProvider(String accountId, String arn, String clientId) {
        String checked = clientIds(List.of(clientId), "clientID").get(0);
        changeOpenIdConnectProvider(accountId, arn, provider -> {
            if (provider.clientIds().contains(checked)) {
                return provider;
            }
            if (provider.clientIds().size() >= MAX_CLIENT_IDS_PER_PROVIDER) {
                throw clientIdQuotaExceeded();
            }
            var clientIds = new ArrayList<>(provider.clientIds());
            clientIds.add(checked);
            return provider.with(clientIds, provider.thumbprints(), provider.tags());
        });
    }

    /** RemoveClientIDFromOpenIDConnectProvider: idempotent; removing a client id the provider lacks changes nothing. */
    public void removeClientIdFromOpenIdConnectProvider(String accountId, String arn, String clientId) {
        QueryBinder.check(IamShapes.CLIENT_ID, clientId, "clientID");
        changeOpenIdConnectProvider(accountId, arn, provider -> provider.with(
                provider.clientIds().stream().filter(id -> !id.equals(clientId)).toList(), provider.thumbprints(),
                provider.tags()));
    }

    /**
     * UpdateOpenIDConnectProviderThumbprint: replaces the thumbprints (the lists are not merged).
     *
     * @throws ApiException {@code InvalidInput} for more than 5 thumbprints or one that is not hexadecimal
     */
    public void updateOpenIdConnectProviderThumbprint(String accountId, String arn, List<String> thumbprints) {
        List<String> prints = thumbprints(thumbprints);
        changeOpenIdConnectProvider(accountId, arn,
                provider -> provider.with(provider.clientIds(), prints, provider.tags()));
    }

    /**
     * TagOpenIDConnectProvider: adds tags, replacing those with the same key in any case.
     *
     * @throws ApiException {@code LimitExceeded} beyond 50 tags, worded for providers as in AWS's real responses
     */
    public void tagOpenIdConnectProvider(String accountId, String arn, List<Tag> tags) {
        changeOpenIdConnectProvider(accountId, arn, provider -> provider.with(provider.clientIds(),
                provider.thumbprints(), IamChecks.mergeTags(provider.tags(), tags, () -> new ApiException(
                        ErrorCode.LIMIT_EXCEEDED, "The number of tags has reached the maximum limit."))));
    }

    /** UntagOpenIDConnectProvider: removes the tags with these keys, in any case; unknown keys are ignored. */
    public void untagOpenIdConnectProvider(String accountId, String arn, List<String> tagKeys) {
        changeOpenIdConnectProvider(accountId, arn, provider -> provider.with(provider.clientIds(),
                provider.thumbprints(), IamChecks.removeTags(provider.tags(), tagKeys)));
    }

    /** ListOpenIDConnectProviderTags: the provider's tags sorted by key, one page at a time. */
    public Page<Tag> listOpenIdConnectProviderTags(String accountId, String arn, Optional<String> marker,
            Optional<Integer> maxItems) {
        return tagPage(getOpenIdConnectProvider(accountId, arn).tags(), marker, maxItems);
    }

    private void changeOpenIdConnectProvider(String accountId, String arn,
            Function<OpenIdConnectProvider, OpenIdConnectProvider> change) {
        checkProviderArn(arn, OIDC_RESOURCE_TYPE, "openIDConnectProviderArn");
        store.write(writer -> {
            OpenIdConnectProvider provider = requireOpenIdConnectProvider(writer, accountId, arn);
            OpenIdConnectProvider changed = change.apply(provider);
            if (!changed.equals(provider)) {
                writer.updateOpenIdConnectProvider(changed);
            }
            return null;
        });
    }

    private static OpenIdConnectProvider requireOpenIdConnectProvider(IdentityReader reader, String accountId,
            String arn) {
        checkProviderArn(arn, OIDC_RESOURCE_TYPE, "openIDConnectProviderArn");
        return findOpenIdConnectProvider(reader, accountId, arn).orElseThrow(() -> IamChecks.noSuchEntity(
                "OpenIDConnect Provider not found for arn " + arn));
    }

    private static Optional<OpenIdConnectProvider> findOpenIdConnectProvider(IdentityReader reader, String accountId,
            String arn) {
        if (!Arn.tryParse(arn).map(Arn::accountId).equals(Optional.of(accountId))) {
            return Optional.empty();
        }
        // One found in another case is found again by its own ARN, so that a write holds its lock (see JdbcSession).
        return reader.findOpenIdConnectProvider(arn).or(() -> reader.listOpenIdConnectProviders(accountId).stream()
                .filter(provider -> provider.arn().equalsIgnoreCase(arn))
                .findFirst()
                .flatMap(provider -> reader.findOpenIdConnectProvider(provider.arn())));
    }

    /**
     * An issuer URL: {@code https://}, a host, maybe a port and a path, no user information, query or fragment (the
     * OIDC issuer rules; the URL must match the {@code iss} claim of the provider's tokens).
     */
    private static void checkIssuerUrl(String url) {
        boolean valid;
        try {
            var uri = new URI(url);
            valid = url.startsWith(HTTPS) && uri.getHost() != null && !uri.getHost().isEmpty()
                    && uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && url.indexOf('?') < 0 && url.indexOf('#') < 0;
        } catch (URISyntaxException e) {
            valid = false;
        }
        if (!valid) {
            // A ValidationError, as in AWS's real responses, though IAM words it itself.
            throw ApiException.validationError("Invalid Open ID Connect Provider URL");
        }
    }

    /**
     * Client ids (audiences), each by the model, without control characters (the store keeps them one per line),
     * repeats dropped.
     */
    private static List<String> clientIds(List<String> clientIds, String memberName) {
        var unique = new LinkedHashSet<String>();
        if (memberName.equals("clientID")) {
            QueryBinder.check(IamShapes.CLIENT_ID, clientIds.get(0), memberName);
        } else {
            QueryBinder.check(IamShapes.CLIENT_ID_LIST, clientIds, memberName);
        }
        for (String clientId : clientIds) {
            if (clientId.chars().anyMatch(Character::isISOControl)) {
                throw new ApiException(ErrorCode.INVALID_INPUT, "Client IDs must not contain control characters.");
            }
            unique.add(clientId);
        }
        return List.copyOf(unique);
    }

    /**
     * Thumbprints: 40 hexadecimal characters each (a SHA-1 digest), at most 5, repeats (in any case) dropped. More is
     * {@code InvalidInput}, worded as AWS's real responses word it (sic: five are allowed).
     */
    private static List<String> thumbprints(List<String> thumbprints) {
        var unique = new ArrayList<String>();
        Set<String> seen = new LinkedHashSet<>();
        QueryBinder.check(IamShapes.THUMBPRINT_LIST, thumbprints, "thumbprintList");
        for (String thumbprint : thumbprints) {
            if (!thumbprint.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
                throw new ApiException(ErrorCode.INVALID_INPUT,
                        "Thumbprint " + thumbprint + " is not 40 hexadecimal characters.");
            }
            if (seen.add(thumbprint.toLowerCase(Locale.ROOT))) {
                unique.add(thumbprint);
            }
        }
        if (unique.size() > MAX_THUMBPRINTS_PER_PROVIDER) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "Thumbprint list must contain fewer than "
                    + MAX_THUMBPRINTS_PER_PROVIDER + " entries.");
        }
        return List.copyOf(unique);
    }

    private static ApiException clientIdQuotaExceeded() {
        return new ApiException(ErrorCode.LIMIT_EXCEEDED,
                "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: " + MAX_CLIENT_IDS_PER_PROVIDER);
    }

    private static ApiException openIdConnectProviderExists(String url) {
        return IamChecks.alreadyExists("Provider with url " + url + " already exists.");
    }

    // ---- SAML providers

    /**
     * CreateSAMLProvider: a provider named {@code name} trusting the identity provider the metadata document describes.
     * The document is kept verbatim: assertions are later verified with its certificates. Its {@code validUntil}, if
     * any, becomes the provider's.
     *
     * @param assertionEncryptionMode {@code Allowed}; {@code Required} needs a private key, which OpenSTS does not
     *     hold, so it is refused
     * @throws ApiException {@code InvalidInput} if the document is not SAML 2.0 metadata or encryption is required;
     *     {@code EntityAlreadyExists} if the name is taken (in any case); {@code LimitExceeded} beyond 100 providers
     *     in the account; {@code ValidationError} for what the model forbids
     */
    public SamlProvider createSamlProvider(String accountId, String name, String metadataDocument,
            Optional<String> assertionEncryptionMode, List<Tag> tags) {
        QueryBinder.check(IamShapes.SAML_METADATA_DOCUMENT, metadataDocument, "sAMLMetadataDocument");
        QueryBinder.check(IamShapes.SAML_PROVIDER_NAME, name, "name");
        checkAssertionEncryptionMode(assertionEncryptionMode);
        IamChecks.checkTags(tags);
        Optional<Instant> validUntil = samlMetadataValidUntil(metadataDocument);
        String arn = Arn.iam(accountId, SAML_RESOURCE_TYPE + "/" + name).toString();
        return IamChecks.createEntity(() -> store.write(writer -> {
            IamChecks.requireAccount(writer, accountId);
            List<SamlProvider> existing = writer.listSamlProviders(accountId);
            if (existing.stream().anyMatch(provider -> provider.name().equalsIgnoreCase(name))) {
                throw samlProviderExists(name);
            }
            if (existing.size() >= MAX_SAML_PROVIDERS_PER_ACCOUNT) {
                throw new ApiException(ErrorCode.LIMIT_EXCEEDED,
                        "Cannot exceed quota for SAMLProvidersPerAccount: " + MAX_SAML_PROVIDERS_PER_ACCOUNT);
            }
            var provider = new SamlProvider(arn, accountId, name, newProviderUuid(), metadataDocument, validUntil,
                    assertionEncryptionMode, clock.instant(), tags);
            writer.createSamlProvider(provider);
            return provider;
        }), () -> samlProviderExists(name));
    }

    /** GetSAMLProvider. */
    public SamlProvider getSamlProvider(String accountId, String arn) {
        return requireSamlProvider(store, accountId, arn);
    }

    /**
     * UpdateSAMLProvider: replaces the metadata document (and its validity) and/or the assertion encryption mode;
     * what is absent is kept.
     *
     * @throws ApiException {@code InvalidInput} if nothing is to change, the document is not SAML 2.0 metadata, or
     *     encryption is required
     */
    public SamlProvider updateSamlProvider(String accountId, String arn, Optional<String> metadataDocument,
            Optional<String> assertionEncryptionMode) {
        checkProviderArn(arn, SAML_RESOURCE_TYPE, "sAMLProviderArn");
        metadataDocument.ifPresent(document -> QueryBinder.check(IamShapes.SAML_METADATA_DOCUMENT, document,
                "sAMLMetadataDocument"));
        checkAssertionEncryptionMode(assertionEncryptionMode);
        if (metadataDocument.isEmpty() && assertionEncryptionMode.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "No updates are defined for the SAML provider.");
        }
        Optional<Instant> newValidUntil = metadataDocument.flatMap(ProviderOperations::samlMetadataValidUntil);
        return store.write(writer -> {
            SamlProvider provider = requireSamlProvider(writer, accountId, arn);
            SamlProvider changed = provider.with(metadataDocument.orElse(provider.metadataDocument()),
                    metadataDocument.isPresent() ? newValidUntil : provider.validUntil(),
                    assertionEncryptionMode.isPresent() ? assertionEncryptionMode : provider.assertionEncryptionMode(),
                    provider.tags());
            writer.updateSamlProvider(changed);
            return changed;
        });
    }

    /** ListSAMLProviders: every SAML provider of the account, sorted by ARN (IAM does not paginate it). */
    public List<SamlProvider> listSamlProviders(String accountId) {
        return sorted(store.listSamlProviders(accountId), SamlProvider::arn);
    }

    /**
     * DeleteSAMLProvider.
     *
     * @throws ApiException {@code NoSuchEntity} if there is no such provider
     */
    public void deleteSamlProvider(String accountId, String arn) {
        changeSamlProvider(accountId, arn, (writer, provider) -> writer.deleteSamlProvider(provider.arn()));
    }

    /** TagSAMLProvider: adds tags, replacing those with the same key in any case. */
    public void tagSamlProvider(String accountId, String arn, List<Tag> tags) {
        changeSamlProvider(accountId, arn, (writer, provider) -> writer.updateSamlProvider(provider.with(
                provider.metadataDocument(), provider.validUntil(), provider.assertionEncryptionMode(),
                IamChecks.mergeTags(provider.tags(), tags, "TagsPerSamlProvider"))));
    }

    /** UntagSAMLProvider: removes the tags with these keys, in any case; unknown keys are ignored. */
    public void untagSamlProvider(String accountId, String arn, List<String> tagKeys) {
        changeSamlProvider(accountId, arn, (writer, provider) -> writer.updateSamlProvider(provider.with(
                provider.metadataDocument(), provider.validUntil(), provider.assertionEncryptionMode(),
                IamChecks.removeTags(provider.tags(), tagKeys))));
    }

    /** ListSAMLProviderTags: the provider's tags sorted by key, one page at a time. */
    public Page<Tag> listSamlProviderTags(String accountId, String arn, Optional<String> marker,
            Optional<Integer> maxItems) {
        return tagPage(getSamlProvider(accountId, arn).tags(), marker, maxItems);
    }

    /** A change to one SAML provider inside a write transaction. */
    @FunctionalInterface
    private interface SamlProviderChange {
        void apply(IdentityWriter writer, SamlProvider provider);
    }

    private void changeSamlProvider(String accountId, String arn, SamlProviderChange change) {
        checkProviderArn(arn, SAML_RESOURCE_TYPE, "sAMLProviderArn");
        store.write(writer -> {
            change.apply(writer, requireSamlProvider(writer, accountId, arn));
            return null;
        });
    }

    private static SamlProvider requireSamlProvider(IdentityReader reader, String accountId, String arn) {
        checkProviderArn(arn, SAML_RESOURCE_TYPE, "sAMLProviderArn");
        Optional<SamlProvider> provider = Optional.empty();
        if (Arn.tryParse(arn).map(Arn::accountId).equals(Optional.of(accountId))) {
            provider = reader.findSamlProvider(arn).or(() -> reader.listSamlProviders(accountId).stream()
                    .filter(candidate -> candidate.arn().equalsIgnoreCase(arn))
                    .findFirst()
                    .flatMap(candidate -> reader.findSamlProvider(candidate.arn())));
        }
        return provider.orElseThrow(() -> IamChecks.noSuchEntity("Manifest not found for arn " + arn));
    }

    private static void checkAssertionEncryptionMode(Optional<String> mode) {
        mode.ifPresent(value -> QueryBinder.check(IamShapes.ASSERTION_ENCRYPTION_MODE, value,
                "assertionEncryptionMode"));
        if (mode.filter(ENCRYPTION_REQUIRED::equals).isPresent()) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "AssertionEncryptionMode cannot be set to Required "
                    + "because no private key is provided.");
        }
    }

    /** A provider UUID: 128 random bits as 32 upper-case hexadecimal digits (the model's {@code [A-Z0-9]+}). */
    private String newProviderUuid() {
        var bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    /**
     * Reads a SAML 2.0 metadata document just far enough to accept it: well-formed XML whose document element is an
     * {@code md:EntityDescriptor} with an {@code entityID}. The parser is hardened: no DTD (so no entity of any
     * kind), no external resources, no XInclude, JAXP's secure-processing limits.
     *
     * @return the descriptor's {@code validUntil}, if it has one
     * @throws ApiException {@code InvalidInput} ("Could not parse metadata") otherwise
     */
    static Optional<Instant> samlMetadataValidUntil(String document) {
        Element root;
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            var builder = factory.newDocumentBuilder();
            // The default handler prints parse errors to stderr; the document is the caller's, not our log's.
            builder.setErrorHandler(new DefaultHandler());
            root = builder.parse(new ByteArrayInputStream(document.getBytes(UTF_8))).getDocumentElement();
        } catch (SAXException | IOException e) {
            throw invalidMetadata();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The JDK's XML parser supports every feature set here", e);
        }
        if (!SAML_METADATA_NAMESPACE.equals(root.getNamespaceURI()) || !"EntityDescriptor".equals(root.getLocalName())
                || root.getAttribute("entityID").isBlank()) {
            throw invalidMetadata();
        }
        String validUntil = root.getAttribute("validUntil");
        if (validUntil.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parseXmlDateTime(validUntil.strip()));
    }

    /** An {@code xs:dateTime}; one without a time zone is read as UTC, as SAML requires UTC. */
    private static Instant parseXmlDateTime(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutZone) {
            try {
                return DateTimeFormatter.ISO_LOCAL_DATE_TIME.parse(text, LocalDateTime::from)
                        .toInstant(ZoneOffset.UTC);
            } catch (DateTimeException e) {
                throw invalidMetadata();
            }
        }
    }

    private static ApiException invalidMetadata() {
        return new ApiException(ErrorCode.INVALID_INPUT, "Could not parse metadata");
    }

    private static ApiException samlProviderExists(String name) {
        return IamChecks.alreadyExists("SAML provider with name " + name + " already exists.");
    }

    // ---- shared

    /**
     * An OIDC provider's ARN, {@code arn:aws:iam::ACCOUNT:oidc-provider/…}: what the actions on one check before they
     * are authorized.
     *
     * @throws ApiException {@code InvalidInput} if it is not
     */
    public static void checkOpenIdConnectProviderArn(String arn) {
        checkProviderArn(arn, OIDC_RESOURCE_TYPE, "openIDConnectProviderArn");
    }

    /**
     * A SAML provider's ARN, {@code arn:aws:iam::ACCOUNT:saml-provider/NAME}: what the actions on one check before
     * they are authorized.
     *
     * @throws ApiException {@code InvalidInput} if it is not
     */
    public static void checkSamlProviderArn(String arn) {
        checkProviderArn(arn, SAML_RESOURCE_TYPE, "sAMLProviderArn");
    }

    /**
     * An ARN of the expected provider kind: {@code arn:aws:iam::ACCOUNT:oidc-provider/…} or
     * {@code …:saml-provider/NAME}.
     */
    private static void checkProviderArn(String arn, String resourceType, String memberName) {
        QueryBinder.check(IamShapes.ARN, arn, memberName);
        boolean valid = Arn.tryParse(arn)
                .filter(parsed -> parsed.service().equals("iam") && parsed.resourceType().equals(resourceType)
                        && parsed.resource().length() > resourceType.length() + 1)
                .isPresent();
        if (!valid) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "ARN " + arn + " is not valid.");
        }
    }

    private static Page<Tag> tagPage(List<Tag> tags, Optional<String> marker, Optional<Integer> maxItems) {
        marker.ifPresent(text -> QueryBinder.check(IamShapes.MARKER, text, "marker"));
        maxItems.ifPresent(count -> QueryBinder.check(IamShapes.MAX_ITEMS, Integer.toString(count), "maxItems"));
        return Page.of(tags, tag -> tag.key().toLowerCase(Locale.ROOT), marker, maxItems);
    }

    private static <T> List<T> sorted(List<T> items, Function<T, String> key) {
        var copy = new ArrayList<>(items);
        copy.sort((a, b) -> key.apply(a).compareTo(key.apply(b)));
        return List.copyOf(copy);
    }
}
