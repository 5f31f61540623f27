package org.opensts.server;

import java.util.List;
import java.util.Map;
import org.opensts.iam.IamService;
import org.opensts.iam.IamShapes;
import org.opensts.iam.OpenIdConnectProvider;
import org.opensts.iam.Page;
import org.opensts.iam.ProviderOperations;
import org.opensts.iam.SamlProvider;
import org.opensts.iam.Tag;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.Arn;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.Authorizer;

/**
 * The IAM actions on identity providers: OpenID Connect providers and SAML providers.
 *
 * <p>Each is authorized against the provider's ARN. A provider that exists is named by its stored ARN, whatever case
 * the request used, so that a policy naming the provider applies however the caller spells it.
 */
final class IamProviderActions {
    static final StructureShape CREATE_OPEN_ID_CONNECT_PROVIDER_REQUEST =
            StructureShape.builder("CreateOpenIDConnectProviderRequest")
                    .required("Url", IamShapes.OPEN_ID_CONNECT_PROVIDER_URL)
                    .optional("ClientIDList", IamShapes.CLIENT_ID_LIST)
                    .optional("ThumbprintList", IamShapes.THUMBPRINT_LIST)
                    .optional("Tags", IamShapes.TAG_LIST)
                    .build();
    static final StructureShape GET_OPEN_ID_CONNECT_PROVIDER_REQUEST =
            oidcArnOnly("GetOpenIDConnectProviderRequest");
    static final StructureShape LIST_OPEN_ID_CONNECT_PROVIDERS_REQUEST =
            StructureShape.empty("ListOpenIDConnectProvidersRequest");
    static final StructureShape DELETE_OPEN_ID_CONNECT_PROVIDER_REQUEST =
            oidcArnOnly("DeleteOpenIDConnectProviderRequest");
    static final StructureShape ADD_CLIENT_ID_TO_OPEN_ID_CONNECT_PROVIDER_REQUEST =
            StructureShape.builder("AddClientIDToOpenIDConnectProviderRequest")
                    .required("OpenIDConnectProviderArn", IamShapes.ARN)
                    .required("ClientID", IamShapes.CLIENT_ID)
                    .build();
    static final StructureShape REMOVE_CLIENT_ID_FROM_OPEN_ID_CONNECT_PROVIDER_REQUEST =
            StructureShape.builder("RemoveClientIDFromOpenIDConnectProviderRequest")
                    .required("OpenIDConnectProviderArn", IamShapes.ARN)
                    .required("ClientID", IamShapes.CLIENT_ID)
                    .build();
    static final StructureShape UPDATE_OPEN_ID_CONNECT_PROVIDER_THUMBPRINT_REQUEST =
            StructureShape.builder("UpdateOpenIDConnectProviderThumbprintRequest")
                    .required("OpenIDConnectProviderArn", IamShapes.ARN)
                    .required("ThumbprintList", IamShapes.THUMBPRINT_LIST)
                    .build();
    static final StructureShape TAG_OPEN_ID_CONNECT_PROVIDER_REQUEST =
            StructureShape.builder("TagOpenIDConnectProviderRequest")
                    .required("OpenIDConnectProviderArn", IamShapes.ARN)
                    .required("Tags", IamShapes.TAG_LIST)
                    .build();
    static final StructureShape UNTAG_OPEN_ID_CONNECT_PROVIDER_REQUEST =
            StructureShape.builder("UntagOpenIDConnectProviderRequest")
                    .required("OpenIDConnectProviderArn", IamShapes.ARN)
                    .required("TagKeys", IamShapes.TAG_KEY_LIST)
                    .build();
    static final StructureShape LIST_OPEN_ID_CONNECT_PROVIDER_TAGS_REQUEST =
            StructureShape.builder("ListOpenIDConnectProviderTagsRequest")
                    .required("OpenIDConnectProviderArn", IamShapes.ARN)
                    .optional("Marker", IamShapes.MARKER)
                    .optional("MaxItems", IamShapes.MAX_ITEMS)
                    .build();

    static final StructureShape CREATE_SAML_PROVIDER_REQUEST = StructureShape.builder("CreateSAMLProviderRequest")
            .required("SAMLMetadataDocument", IamShapes.SAML_METADATA_DOCUMENT)
            .required("Name", IamShapes.SAML_PROVIDER_NAME)
            .optional("Tags", IamShapes.TAG_LIST)
            .optional("AssertionEncryptionMode", IamShapes.ASSERTION_ENCRYPTION_MODE)
            .optional("AddPrivateKey", IamShapes.PRIVATE_KEY)
            .build();
    static final StructureShape GET_SAML_PROVIDER_REQUEST = samlArnOnly("GetSAMLProviderRequest");
    static final StructureShape UPDATE_SAML_PROVIDER_REQUEST = StructureShape.builder("UpdateSAMLProviderRequest")
            .optional("SAMLMetadataDocument", IamShapes.SAML_METADATA_DOCUMENT)
            .required("SAMLProviderArn", IamShapes.ARN)
            .optional("AssertionEncryptionMode", IamShapes.ASSERTION_ENCRYPTION_MODE)
            .optional("AddPrivateKey", IamShapes.PRIVATE_KEY)
            .optional("RemovePrivateKey", IamShapes.PRIVATE_KEY_ID)
            .build();
    static final StructureShape LIST_SAML_PROVIDERS_REQUEST = StructureShape.empty("ListSAMLProvidersRequest");
    static final StructureShape DELETE_SAML_PROVIDER_REQUEST = samlArnOnly("DeleteSAMLProviderRequest");
    static final StructureShape TAG_SAML_PROVIDER_REQUEST = StructureShape.builder("TagSAMLProviderRequest")
            .required("SAMLProviderArn", IamShapes.ARN)
            .required("Tags", IamShapes.TAG_LIST)
            .build();
    static final StructureShape UNTAG_SAML_PROVIDER_REQUEST = StructureShape.builder("UntagSAMLProviderRequest")
            .required("SAMLProviderArn", IamShapes.ARN)
            .required("TagKeys", IamShapes.TAG_KEY_LIST)
            .build();
    static final StructureShape LIST_SAML_PROVIDER_TAGS_REQUEST =
            StructureShape.builder("ListSAMLProviderTagsRequest")
                    .required("SAMLProviderArn", IamShapes.ARN)
                    .optional("Marker", IamShapes.MARKER)
                    .optional("MaxItems", IamShapes.MAX_ITEMS)
                    .build();

    private static final String OIDC_ARN = "OpenIDConnectProviderArn";
    private static final String SAML_ARN = "SAMLProviderArn";

    private final ProviderOperations providers;

    private IamProviderActions(IamService iam) {
        this.providers = iam.providers();
    }

    static List<IamAction> all(IamService iam, Authorizer authorizer) {
        var actions = new IamProviderActions(iam);
        return List.of(
                IamAction.of(authorizer, "CreateOpenIDConnectProvider", CREATE_OPEN_ID_CONNECT_PROVIDER_REQUEST,
                        (account, input) -> Arn.iam(account, "oidc-provider/"
                                + withoutScheme(input.requiredString("Url"))).toString(),
                        actions::createOpenIDConnectProvider).withRequestKeys(IamRequestKeys.REQUEST_TAGS)
                        .alsoRequiring("TagOpenIDConnectProvider", IamRequestKeys::hasTags),
                IamAction.on(authorizer, "GetOpenIDConnectProvider", GET_OPEN_ID_CONNECT_PROVIDER_REQUEST,
                        (account, input) -> oidcProvider(iam, account, input.requiredString(OIDC_ARN)),
                        actions::getOpenIDConnectProvider).validatedBy(IamProviderActions::checkOidcArn),
                IamAction.of(authorizer, "ListOpenIDConnectProviders", LIST_OPEN_ID_CONNECT_PROVIDERS_REQUEST,
                        (account, input) -> Arn.iam(account, "oidc-provider/*").toString(),
                        actions::listOpenIDConnectProviders),
                IamAction.on(authorizer, "DeleteOpenIDConnectProvider", DELETE_OPEN_ID_CONNECT_PROVIDER_REQUEST,
                        (account, input) -> oidcProvider(iam, account, input.requiredString(OIDC_ARN)),
                        actions::deleteOpenIDConnectProvider).validatedBy(IamProviderActions::checkOidcArn),
                IamAction.on(authorizer, "AddClientIDToOpenIDConnectProvider",
                        ADD_CLIENT_ID_TO_OPEN_ID_CONNECT_PROVIDER_REQUEST,
                        (account, input) -> oidcProvider(iam, account, input.requiredString(OIDC_ARN)),
                        actions::addClientIDToOpenIDConnectProvider).validatedBy(IamProviderActions::checkOidcArn),
                IamAction.on(authorizer, "RemoveClientIDFromOpenIDConnectProvider",
                        REMOVE_CLIENT_ID_FROM_OPEN_ID_CONNECT_PROVIDER_REQUEST,
                        (account, input) -> oidcProvider(iam, account, input.requiredString(OIDC_ARN)),
                        actions::removeClientIDFromOpenIDConnectProvider).validatedBy(IamProviderActions::checkOidcArn),
                IamAction.on(authorizer, "UpdateOpenIDConnectProviderThumbprint",
                        UPDATE_OPEN_ID_CONNECT_PROVIDER_THUMBPRINT_REQUEST,
                        (account, input) -> oidcProvider(iam, account, input.requiredString(OIDC_ARN)),
                        actions::updateOpenIDConnectProviderThumbprint).validatedBy(IamProviderActions::checkOidcArn),
                IamAction.on(authorizer, "TagOpenIDConnectProvider", TAG_OPEN_ID_CONNECT_PROVIDER_REQUEST,
                        (account, input) -> oidcProvider(iam, account, input.requiredString(OIDC_ARN)),
                        actions::tagOpenIDConnectProvider).validatedBy(IamProviderActions::checkOidcArn)
                        .withRequestKeys(IamRequestKeys.REQUEST_TAGS),
                IamAction.on(authorizer, "UntagOpenIDConnectProvider", UNTAG_OPEN_ID_CONNECT_PROVIDER_REQUEST,
                        (account, input) -> oidcProvider(iam, account, input.requiredString(OIDC_ARN)),
                        actions::untagOpenIDConnectProvider).validatedBy(IamProviderActions::checkOidcArn)
                        .withRequestKeys(IamRequestKeys.TAG_KEYS_OF_REQUEST),
                IamAction.on(authorizer, "ListOpenIDConnectProviderTags", LIST_OPEN_ID_CONNECT_PROVIDER_TAGS_REQUEST,
                        (account, input) -> oidcProvider(iam, account, input.requiredString(OIDC_ARN)),
                        actions::listOpenIDConnectProviderTags).validatedBy(IamProviderActions::checkOidcArn),

                IamAction.of(authorizer, "CreateSAMLProvider", CREATE_SAML_PROVIDER_REQUEST,
                        (account, input) -> Arn.iam(account, "saml-provider/" + input.requiredString("Name"))
                                .toString(),
                        actions::createSAMLProvider).withRequestKeys(IamRequestKeys.REQUEST_TAGS)
                        .alsoRequiring("TagSAMLProvider", IamRequestKeys::hasTags),
                IamAction.on(authorizer, "GetSAMLProvider", GET_SAML_PROVIDER_REQUEST,
                        (account, input) -> samlProvider(iam, account, input.requiredString(SAML_ARN)),
                        actions::getSAMLProvider).validatedBy(IamProviderActions::checkSamlArn),
                IamAction.on(authorizer, "UpdateSAMLProvider", UPDATE_SAML_PROVIDER_REQUEST,
                        (account, input) -> samlProvider(iam, account, input.requiredString(SAML_ARN)),
                        actions::updateSAMLProvider).validatedBy(IamProviderActions::checkSamlArn),
                IamAction.of(authorizer, "ListSAMLProviders", LIST_SAML_PROVIDERS_REQUEST,
                        (account, input) -> Arn.iam(account, "saml-provider/*").toString(),
                        actions::listSAMLProviders),
                IamAction.on(authorizer, "DeleteSAMLProvider", DELETE_SAML_PROVIDER_REQUEST,
                        (account, input) -> samlProvider(iam, account, input.requiredString(SAML_ARN)),
                        actions::deleteSAMLProvider).validatedBy(IamProviderActions::checkSamlArn),
                IamAction.on(authorizer, "TagSAMLProvider", TAG_SAML_PROVIDER_REQUEST,
                        (account, input) -> samlProvider(iam, account, input.requiredString(SAML_ARN)),
                        actions::tagSAMLProvider).validatedBy(IamProviderActions::checkSamlArn)
                        .withRequestKeys(IamRequestKeys.REQUEST_TAGS),
                IamAction.on(authorizer, "UntagSAMLProvider", UNTAG_SAML_PROVIDER_REQUEST,
                        (account, input) -> samlProvider(iam, account, input.requiredString(SAML_ARN)),
                        actions::untagSAMLProvider).validatedBy(IamProviderActions::checkSamlArn)
                        .withRequestKeys(IamRequestKeys.TAG_KEYS_OF_REQUEST),
                IamAction.on(authorizer, "ListSAMLProviderTags", LIST_SAML_PROVIDER_TAGS_REQUEST,
                        (account, input) -> samlProvider(iam, account, input.requiredString(SAML_ARN)),
                        actions::listSAMLProviderTags).validatedBy(IamProviderActions::checkSamlArn));
    }

    private ActionResult createOpenIDConnectProvider(IamCall call, Struct input) {
        OpenIdConnectProvider provider = providers.createOpenIdConnectProvider(call.accountId(),
                input.requiredString("Url"), input.strings("ClientIDList"),
                input.strings("ThumbprintList"), IamUserActions.tags(input));
        return ActionResult.of(xml -> {
            xml.element("OpenIDConnectProviderArn", provider.arn());
            IamXml.tags(xml, provider.tags());
        }, Map.of("openIDConnectProviderArn", provider.arn()));
    }

    private ActionResult getOpenIDConnectProvider(IamCall call, Struct input) {
        OpenIdConnectProvider provider = providers.getOpenIdConnectProvider(call.accountId(),
                input.requiredString(OIDC_ARN));
        return ActionResult.of(xml -> {
            // IAM answers with the URL as the ARN names it: without the scheme.
            xml.element("Url", withoutScheme(provider.url()));
            members(xml, "ClientIDList", provider.clientIds());
            members(xml, "ThumbprintList", provider.thumbprints());
            xml.element("CreateDate", provider.createDate());
            IamXml.tagList(xml, provider.tags());
        }, Map.of());
    }

    private ActionResult listOpenIDConnectProviders(IamCall call, Struct input) {
        List<OpenIdConnectProvider> list = providers.listOpenIdConnectProviders(call.accountId());
        return ActionResult.of(xml -> {
            xml.startList("OpenIDConnectProviderList");
            list.forEach(provider -> xml.start("member").element("Arn", provider.arn()).end());
            xml.end();
        }, Map.of());
    }

    private ActionResult deleteOpenIDConnectProvider(IamCall call, Struct input) {
        providers.deleteOpenIdConnectProvider(call.accountId(), input.requiredString(OIDC_ARN));
        return ActionResult.empty();
    }

    private ActionResult addClientIDToOpenIDConnectProvider(IamCall call, Struct input) {
        providers.addClientIdToOpenIdConnectProvider(call.accountId(),
                input.requiredString(OIDC_ARN), input.requiredString("ClientID"));
        return ActionResult.empty();
    }

    private ActionResult removeClientIDFromOpenIDConnectProvider(IamCall call, Struct input) {
        providers.removeClientIdFromOpenIdConnectProvider(call.accountId(),
                input.requiredString(OIDC_ARN), input.requiredString("ClientID"));
        return ActionResult.empty();
    }

    private ActionResult updateOpenIDConnectProviderThumbprint(IamCall call, Struct input) {
        providers.updateOpenIdConnectProviderThumbprint(call.accountId(),
                input.requiredString(OIDC_ARN), input.strings("ThumbprintList"));
        return ActionResult.empty();
    }

    private ActionResult tagOpenIDConnectProvider(IamCall call, Struct input) {
        providers.tagOpenIdConnectProvider(call.accountId(), input.requiredString(OIDC_ARN),
                IamUserActions.tags(input));
        return ActionResult.empty();
    }

    private ActionResult untagOpenIDConnectProvider(IamCall call, Struct input) {
        providers.untagOpenIdConnectProvider(call.accountId(), input.requiredString(OIDC_ARN),
                input.strings("TagKeys"));
        return ActionResult.empty();
    }

    private ActionResult listOpenIDConnectProviderTags(IamCall call, Struct input) {
        Page<Tag> page = providers.listOpenIdConnectProviderTags(call.accountId(),
                input.requiredString(OIDC_ARN), input.string("Marker"), input.integer("MaxItems"));
        return ActionResult.of(xml -> tagPage(xml, page), Map.of());
    }

    private ActionResult createSAMLProvider(IamCall call, Struct input) {
        // CreateSAMLProviderRequest has AddPrivateKey only: there is no key to remove yet.
        refusePrivateKeys(input.has("AddPrivateKey"));
        SamlProvider provider = providers.createSamlProvider(call.accountId(),
                input.requiredString("Name"), input.requiredString("SAMLMetadataDocument"),
                input.string("AssertionEncryptionMode"), IamUserActions.tags(input));
        return ActionResult.of(xml -> {
            xml.element("SAMLProviderArn", provider.arn());
            IamXml.tags(xml, provider.tags());
        }, Map.of("sAMLProviderArn", provider.arn()));
    }

    private ActionResult getSAMLProvider(IamCall call, Struct input) {
        SamlProvider provider = providers.getSamlProvider(call.accountId(),
                input.requiredString(SAML_ARN));
        return ActionResult.of(xml -> {
            xml.element("SAMLProviderUUID", provider.providerUuid());
            xml.element("SAMLMetadataDocument", provider.metadataDocument());
            xml.element("CreateDate", provider.createDate());
            xml.element("ValidUntil", provider.reportedValidUntil());
            IamXml.tagList(xml, provider.tags());
            // As AWS answers for a provider created without a mode: encryption allowed, and no
            // private keys (this server refuses them).
            xml.element("AssertionEncryptionMode",
                    provider.assertionEncryptionMode().orElse("Allowed"));
            xml.startList("PrivateKeyList").end();
        }, Map.of());
    }

    private ActionResult updateSAMLProvider(IamCall call, Struct input) {
        refusePrivateKeys(input.has("AddPrivateKey") || input.has("RemovePrivateKey"));
        SamlProvider provider = providers.updateSamlProvider(call.accountId(),
                input.requiredString(SAML_ARN), input.string("SAMLMetadataDocument"),
                input.string("AssertionEncryptionMode"));
        return ActionResult.of(xml -> xml.element("SAMLProviderArn", provider.arn()),
                Map.of("sAMLProviderArn", provider.arn()));
    }

    private ActionResult listSAMLProviders(IamCall call, Struct input) {
        List<SamlProvider> list = providers.listSamlProviders(call.accountId());
        return ActionResult.of(xml -> {
            xml.startList("SAMLProviderList");
            for (SamlProvider provider : list) {
                xml.start("member").element("Arn", provider.arn());
                xml.element("ValidUntil", provider.reportedValidUntil());
                xml.element("CreateDate", provider.createDate()).end();
            }
            xml.end();
        }, Map.of());
    }

    private ActionResult deleteSAMLProvider(IamCall call, Struct input) {
        providers.deleteSamlProvider(call.accountId(), input.requiredString(SAML_ARN));
        return ActionResult.empty();
    }

    private ActionResult tagSAMLProvider(IamCall call, Struct input) {
        providers.tagSamlProvider(call.accountId(), input.requiredString(SAML_ARN),
                IamUserActions.tags(input));
        return ActionResult.empty();
    }

    private ActionResult untagSAMLProvider(IamCall call, Struct input) {
        providers.untagSamlProvider(call.accountId(), input.requiredString(SAML_ARN),
                input.strings("TagKeys"));
        return ActionResult.empty();
    }

    private ActionResult listSAMLProviderTags(IamCall call, Struct input) {
        Page<Tag> page = providers.listSamlProviderTags(call.accountId(),
                input.requiredString(SAML_ARN), input.string("Marker"), input.integer("MaxItems"));
        return ActionResult.of(xml -> tagPage(xml, page), Map.of());
    }

    private static StructureShape oidcArnOnly(String name) {
        return StructureShape.builder(name).required(OIDC_ARN, IamShapes.ARN).build();
    }

    private static StructureShape samlArnOnly(String name) {
        return StructureShape.builder(name).required(SAML_ARN, IamShapes.ARN).build();
    }

    /** {@code <Name><member>…</member>…</Name>}, there even when empty. */
    private static void members(ResultWriter xml, String name, List<String> values) {
        xml.startList(name);
        values.forEach(value -> xml.element("member", value));
        xml.end();
    }

    /** {@code <Tags>} of a page of tags (there even when empty: the model requires it), then the page's paging. */
    static void tagPage(ResultWriter xml, Page<Tag> page) {
        xml.startList("Tags");
        page.items().forEach(tag -> xml.start("member").element("Key", tag.key()).element("Value", tag.value()).end());
        xml.end();
        IamXml.pagination(xml, page);
    }

    private static String withoutScheme(String url) {
        return url.startsWith("https://") ? url.substring("https://".length()) : url;
    }

    /** Refuses an {@code OpenIDConnectProviderArn} that is no OIDC provider ARN, before authorization. */
    private static void checkOidcArn(Struct input) {
        ProviderOperations.checkOpenIdConnectProviderArn(input.requiredString(OIDC_ARN));
    }

    /** Refuses a {@code SAMLProviderArn} that is no SAML provider ARN, before authorization. */
    private static void checkSamlArn(Struct input) {
        ProviderOperations.checkSamlProviderArn(input.requiredString(SAML_ARN));
    }

    /** The OIDC provider the request names, if it exists in the account, with its stored ARN; else the ARN as sent. */
    private static IamResource oidcProvider(IamService iam, String account, String arn) {
        return iam.providers().listOpenIdConnectProviders(account).stream()
                .filter(stored -> stored.arn().equalsIgnoreCase(arn))
                .findFirst()
                .map(provider -> IamResource.tagged(provider.arn(), provider.tags()))
                .orElseGet(() -> IamResource.of(arn));
    }

    /** The SAML provider the request names, if it exists in the account, with its stored ARN; else the ARN as sent. */
    private static IamResource samlProvider(IamService iam, String account, String arn) {
        return iam.providers().listSamlProviders(account).stream()
                .filter(stored -> stored.arn().equalsIgnoreCase(arn))
                .findFirst()
                .map(provider -> IamResource.tagged(provider.arn(), provider.tags()))
                .orElseGet(() -> IamResource.of(arn));
    }

    /**
     * SAML assertion encryption keys ({@code AddPrivateKey}, {@code RemovePrivateKey}) are not kept by OpenSTS, so a
     * request that brings one is refused rather than half applied. The key itself is never echoed.
     */
    private static void refusePrivateKeys(boolean present) {
        if (present) {
            throw new ApiException(ErrorCode.INVALID_INPUT,
                    "Private keys for SAML assertion encryption are not supported by this service.");
        }
    }
}
