package org.opensts.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opensts.gateway.s3.S3Exception;

class UpstreamObjectTagsTest {

    @Test
    void parse_taggingDocument_givesTheTagsInOrder() throws Exception {
        // The GetObjectTagging response of the Amazon S3 API Reference's example.
        String document = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                  <TagSet>
                    <Tag><Key>tag1</Key><Value>val1</Value></Tag>
                    <Tag><Key>tag2</Key><Value>val2</Value></Tag>
                  </TagSet>
                </Tagging>""";

        assertThat(UpstreamObjectTags.parse(document.getBytes(UTF_8)))
                .containsExactly(java.util.Map.entry("tag1", "val1"), java.util.Map.entry("tag2", "val2"));
    }

    @Test
    void parse_emptyTagSet_isNoTags() throws Exception {
        assertThat(UpstreamObjectTags.parse("<Tagging><TagSet/></Tagging>".getBytes(UTF_8))).isEmpty();
    }

    @Test
    void parse_documentWithADoctype_isRefused() {
        String withEntity = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Tagging><TagSet><Tag><Key>k</Key><Value>&x;</Value></Tag></TagSet></Tagging>";

        assertThatThrownBy(() -> UpstreamObjectTags.parse(withEntity.getBytes(UTF_8)))
                .isInstanceOf(S3Exception.class);
    }

    @Test
    void parse_keyGivenTwice_isRefusedRatherThanOneValueChosen() {
        String twice = "<Tagging><TagSet><Tag><Key>k</Key><Value>a</Value></Tag>"
                + "<Tag><Key>k</Key><Value>b</Value></Tag></TagSet></Tagging>";

        assertThatThrownBy(() -> UpstreamObjectTags.parse(twice.getBytes(UTF_8)))
                .isInstanceOf(S3Exception.class);
    }

    @Test
    void bucketOf_s3Arns_nameTheBucketWhosePolicyApplies() {
        assertThat(AccessGate.bucketOf("arn:aws:s3:::photos/a/b.txt")).contains("photos");
        assertThat(AccessGate.bucketOf("arn:aws:s3:::photos")).contains("photos");
        assertThat(AccessGate.bucketOf("*")).isEmpty();
    }
}
