package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SignableRequestTest {

    @Test
    void target_splitsPathAndQueryAtTheFirstQuestionMark() {
        SignableRequest request = SignableRequest.builder().target("/a b/c?x=1?&y").build();

        assertThat(request.path()).isEqualTo("/a b/c");
        assertThat(request.query()).isEqualTo("x=1?&y");
        assertThat(request.target()).isEqualTo("/a b/c?x=1?&y");
    }

    @Test
    void path_withQuestionMark_isRejected_andEmptyPathIsRoot() {
        assertThatThrownBy(() -> SignableRequest.builder().path("/a?b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SignableRequest.builder().path("").build().path()).isEqualTo("/");
    }

    @Test
    void headers_keepArrivalOrderAndRepeats_andMatchNamesInAnyCase() {
        SignableRequest request = SignableRequest.builder()
                .addHeader("My-Header1", "value2")
                .addHeader("Host", "example.amazonaws.com")
                .addHeader("my-header1", "value1")
                .build();

        assertThat(request.headerCount()).isEqualTo(3);
        assertThat(request.headerName(2)).isEqualTo("my-header1");
        assertThat(request.headers("MY-HEADER1")).containsExactly("value2", "value1");
        assertThat(request.firstHeader("host")).contains("example.amazonaws.com");
        assertThat(request.firstHeader("absent")).isEmpty();
        assertThat(request.joinedHeader("My-Header1")).isEqualTo("value2,value1");
    }

    @Test
    void removeHeaders_removesEveryLineOfThatName() {
        SignableRequest request = SignableRequest.builder()
                .addHeader("A", "1").addHeader("B", "2").addHeader("a", "3")
                .removeHeaders("A")
                .build();

        assertThat(request.headerCount()).isEqualTo(1);
        assertThat(request.headerName(0)).isEqualTo("B");
    }

    @Test
    void bodyFromArray_isCopied() {
        byte[] bytes = "abc".getBytes(UTF_8);
        SignableRequest request = SignableRequest.builder().body(bytes).build();
        bytes[0] = 'x';

        byte[] body = new byte[request.bodyLength()];
        request.body().get(body);
        assertThat(body).isEqualTo("abc".getBytes(UTF_8));
    }

    @Test
    void bodyFromBuffer_isTheRemainingBytes_sharedAndReadOnly() {
        ByteBuffer buffer = ByteBuffer.wrap("xxabc".getBytes(UTF_8));
        buffer.position(2);

        SignableRequest request = SignableRequest.builder().body(buffer).build();

        assertThat(request.bodyLength()).isEqualTo(3);
        assertThat(request.body().isReadOnly()).isTrue();
        assertThat(request.body().get(0)).isEqualTo((byte) 'a');
        assertThat(buffer.position()).isEqualTo(2);
    }

    @Test
    void toBuilder_givesAnEqualRequest() {
        SignableRequest request = SignableRequest.builder()
                .method("PUT").target("/k?a=1").addHeader("Host", "h").body("b".getBytes(UTF_8)).build();

        SignableRequest copy = request.toBuilder().build();

        assertThat(copy.method()).isEqualTo("PUT");
        assertThat(copy.target()).isEqualTo("/k?a=1");
        assertThat(copy.headers("host")).containsExactly("h");
        assertThat(copy.body()).isEqualTo(request.body());
    }

    @Test
    void toString_showsHeaderNamesButNoValuesOrQuery() {
        SignableRequest request = SignableRequest.builder()
                .target("/?X-Amz-Security-Token=secret-token")
                .addHeader("X-Amz-Security-Token", "secret-token")
                .build();

        assertThat(request.toString()).contains("X-Amz-Security-Token").doesNotContain("secret-token");
    }
}
