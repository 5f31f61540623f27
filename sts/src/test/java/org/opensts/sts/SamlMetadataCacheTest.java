package org.opensts.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.opensts.federation.saml.SamlMetadata;
import org.opensts.federation.testing.TestSamlIdp;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

class SamlMetadataCacheTest {
    private static final String PROVIDER = "arn:aws:iam::123456789012:saml-provider/corp";
    private static final TestSamlIdp IDP = TestSamlIdp.create("https://idp.example.com/saml");
    private static final TestSamlIdp OTHER_IDP = TestSamlIdp.create("https://other.example.com/saml");

    @Test
    void metadata_sameProviderAndDocument_isParsedOnce() {
        var cache = new SamlMetadataCache(10);

        SamlMetadata first = cache.metadata(PROVIDER, IDP.metadataXml());

        assertThat(cache.metadata(PROVIDER, IDP.metadataXml())).isSameAs(first);
        assertThat(first.entityId()).isEqualTo(IDP.entityId());
    }

    @Test
    void metadata_documentUpdated_isParsedAgain() {
        var cache = new SamlMetadataCache(10);
        cache.metadata(PROVIDER, IDP.metadataXml());

        SamlMetadata updated = cache.metadata(PROVIDER, OTHER_IDP.metadataXml());

        assertThat(updated.entityId()).isEqualTo(OTHER_IDP.entityId());
        // One entry for the provider: an update replaces its parsed document instead of keeping both.
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.metadata(PROVIDER, IDP.metadataXml()).entityId()).isEqualTo(IDP.entityId());
    }

    @Test
    void metadata_beyondTheBound_forgetsTheLeastRecentlyUsed() {
        var cache = new SamlMetadataCache(2);
        SamlMetadata a = cache.metadata("arn:aws:iam::123456789012:saml-provider/a", IDP.metadataXml());
        cache.metadata("arn:aws:iam::123456789012:saml-provider/b", IDP.metadataXml());
        cache.metadata("arn:aws:iam::123456789012:saml-provider/a", IDP.metadataXml());
        cache.metadata("arn:aws:iam::123456789012:saml-provider/c", IDP.metadataXml());

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.metadata("arn:aws:iam::123456789012:saml-provider/a", IDP.metadataXml())).isSameAs(a);
    }

    @Test
    void metadata_unusableDocument_isRefusedAndNotKept() {
        var cache = new SamlMetadataCache(10);

        var e = catchThrowableOfType(ApiException.class, () -> cache.metadata(PROVIDER, "<notMetadata/>"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_IDENTITY_TOKEN);
        assertThat(cache.size()).isZero();
    }
}
