package org.opensts.gateway.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The PutObjectTagging body parser: S3's schema and limits, and hostile documents refused. */
class TaggingBodyTest {

    @Test
    void parse_sdkBody_givesTheTagsInOrder() throws S3Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Tagging xmlns=\"http://s3.amazonaws.com/doc/"
                + "2006-03-01/\"><TagSet><Tag><Key>project</Key><Value>blue &amp; green</Value></Tag>"
                + "<Tag><Key>empty</Key><Value></Value></Tag></TagSet></Tagging>";

        TaggingBody body = TaggingBody.parse(xml.getBytes(UTF_8));

        assertThat(body.tags()).containsExactly(Map.entry("project", "blue & green"),
                Map.entry("empty", ""));
    }

    @Test
    void parse_emptyTagSet_isNoTags() throws S3Exception {
        assertThat(TaggingBody.parse("<Tagging><TagSet/></Tagging>".getBytes(UTF_8)).tags()).isEmpty();
    }

    record Refused(String name, String xml, S3ErrorCode code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refused> refusals() {
        return Stream.of(
                new Refused("a repeated key", "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag>"
                        + "<Tag><Key>a</Key><Value>2</Value></Tag></TagSet></Tagging>", S3ErrorCode.INVALID_TAG),
                new Refused("eleven tags", "<Tagging><TagSet>" + tags(11) + "</TagSet></Tagging>",
                        S3ErrorCode.INVALID_TAG),
                new Refused("a DTD with entities", "<!DOCTYPE Tagging [<!ENTITY x \"y\">]><Tagging><TagSet><Tag>"
                        + "<Key>&x;</Key><Value>v</Value></Tag></TagSet></Tagging>", S3ErrorCode.MALFORMED_XML),
                new Refused("a tag without a value", "<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>",
                        S3ErrorCode.MALFORMED_XML),
                new Refused("two values", "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value><Value>2</Value></Tag>"
                        + "</TagSet></Tagging>", S3ErrorCode.MALFORMED_XML),
                new Refused("no tag set", "<Tagging></Tagging>", S3ErrorCode.MALFORMED_XML),
                new Refused("two tag sets", "<Tagging><TagSet/><TagSet/></Tagging>", S3ErrorCode.MALFORMED_XML),
                new Refused("another root", "<Delete><TagSet/></Delete>", S3ErrorCode.MALFORMED_XML),
                new Refused("an element in a value", "<Tagging><TagSet><Tag><Key>a</Key><Value><b/></Value></Tag>"
                        + "</TagSet></Tagging>", S3ErrorCode.MALFORMED_XML),
                new Refused("a body over the cap", "<Tagging><TagSet/></Tagging><!--"
                        + "x".repeat(TaggingBody.MAX_BODY_BYTES) + "-->", S3ErrorCode.MALFORMED_XML),
                new Refused("empty", "", S3ErrorCode.MISSING_REQUEST_BODY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void parse_badBody_isRefusedAsS3Does(Refused r) {
        assertThatThrownBy(() -> TaggingBody.parse(r.xml().getBytes(UTF_8))).isInstanceOfSatisfying(
                S3Exception.class, e -> assertThat(e.error().code()).isEqualTo(r.code()));
    }

    @Test
    void parse_tenTags_isAccepted() throws S3Exception {
        assertThat(TaggingBody.parse(("<Tagging><TagSet>" + tags(10) + "</TagSet></Tagging>").getBytes(UTF_8))
                .tags()).hasSize(10);
    }

    private static String tags(int count) {
        var xml = new StringBuilder();
        for (int i = 0; i < count; i++) {
            xml.append("<Tag><Key>k").append(i).append("</Key><Value>v</Value></Tag>");
        }
        return xml.toString();
    }
}
