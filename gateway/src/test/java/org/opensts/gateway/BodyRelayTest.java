package org.opensts.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.opensts.sigv4.ChecksumAlgorithm;
import org.opensts.verifier.PayloadCheck;
import org.opensts.verifier.VerificationException;
import org.opensts.verifier.VerificationFailure;

class BodyRelayTest {
    private final List<ByteBuf> forwarded = new ArrayList<>();

    /** A check that decodes every byte as itself, and whose final verdict the test chooses. */
    private static final class PassThroughCheck implements PayloadCheck {
        private final boolean passes;
        private final Map<String, String> trailers;

        PassThroughCheck(boolean passes) {
            this(passes, Map.of());
        }

        PassThroughCheck(boolean passes, Map<String, String> trailers) {
            this.passes = passes;
            this.trailers = trailers;
        }

        @Override
        public void update(ByteBuffer received, Consumer<ByteBuffer> decoded) {
            decoded.accept(received.duplicate());
            // The relay must have copied what it keeps: the check reuses its buffer.
            while (received.hasRemaining()) {
                received.put((byte) 'X');
            }
        }

        @Override
        public Map<String, String> finish() throws VerificationException {
            if (!passes) {
                throw new VerificationException(VerificationFailure.BAD_DIGEST, "The checksum did not match.");
            }
            return trailers;
        }

        @Override
        public OptionalLong decodedContentLength() {
            return OptionalLong.empty();
        }
    }

    private BodyRelay relay(boolean passes, long declared) {
        return new BodyRelay(new PassThroughCheck(passes), declared, ByteBufAllocator.DEFAULT, forwarded::add);
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, UTF_8);
    }

    private String forwardedText() {
        var text = new StringBuilder();
        forwarded.forEach(piece -> text.append(piece.toString(UTF_8)));
        return text.toString();
    }

    @Test
    void received_holdsBackTheLastPieceUntilFinishPasses() throws Exception {
        BodyRelay relay = relay(true, 9);

        relay.received(bytes("abc"));
        relay.received(bytes("def"));
        relay.received(bytes("ghi"));
        assertThat(forwardedText()).isEqualTo("abcdef");

        relay.finish();
        assertThat(forwardedText()).isEqualTo("abcdefghi");
    }

    @Test
    void finish_checkFails_theLastPieceNeverGoesUpstream() throws Exception {
        BodyRelay relay = relay(false, 6);
        relay.received(bytes("abc"));
        relay.received(bytes("def"));

        assertThatThrownBy(relay::finish).isInstanceOf(VerificationException.class)
                .extracting(e -> ((VerificationException) e).failure()).isEqualTo(VerificationFailure.BAD_DIGEST);
        assertThat(forwardedText()).isEqualTo("abc");
    }

    @Test
    void received_moreThanDeclared_isRefusedAtOnceAndNothingBeyondGoesUpstream() throws Exception {
        BodyRelay relay = relay(true, 4);
        relay.received(bytes("abc"));

        assertThatThrownBy(() -> relay.received(bytes("def"))).isInstanceOf(VerificationException.class)
                .extracting(e -> ((VerificationException) e).failure()).isEqualTo(VerificationFailure.MALFORMED_BODY);
        relay.discard();
        assertThat(forwardedText()).isEmpty();
    }

    @Test
    void finish_fewerThanDeclared_isRefusedAndTheLastPieceDropped() throws Exception {
        BodyRelay relay = relay(true, 10);
        relay.received(bytes("abc"));
        relay.received(bytes("def"));

        assertThatThrownBy(relay::finish).isInstanceOf(VerificationException.class)
                .extracting(e -> ((VerificationException) e).failure()).isEqualTo(VerificationFailure.MALFORMED_BODY);
        assertThat(forwardedText()).isEqualTo("abc");
    }

    @Test
    void finish_checksumTrailer_framesThePiecesAndEndsWithTheCheckedChecksumAfterTheLastOne() throws Exception {
        Map<String, String> checked = Map.of("x-amz-checksum-crc32", "S2ZfSA==");
        BodyRelay relay = new BodyRelay(new PassThroughCheck(true, checked),
                new UpstreamBody.ChecksumTrailer(List.of(ChecksumAlgorithm.CRC32), 6), 6, ByteBufAllocator.DEFAULT,
                forwarded::add);
        relay.received(bytes("abc"));
        relay.received(bytes("def"));
        assertThat(forwardedText()).isEqualTo("6\r\nabc");

        relay.finish();

        assertThat(forwardedText()).isEqualTo("6\r\nabcdef\r\n0\r\nx-amz-checksum-crc32:S2ZfSA==\r\n\r\n");
    }

    @Test
    void finish_checksumTrailerCheckFails_neitherTheLastPieceNorTheTrailerGoesUpstream() throws Exception {
        BodyRelay relay = new BodyRelay(new PassThroughCheck(false),
                new UpstreamBody.ChecksumTrailer(List.of(ChecksumAlgorithm.CRC32), 6), 6, ByteBufAllocator.DEFAULT,
                forwarded::add);
        relay.received(bytes("abc"));
        relay.received(bytes("def"));

        assertThatThrownBy(relay::finish).isInstanceOf(VerificationException.class);
        assertThat(forwardedText()).isEqualTo("6\r\nabc");
    }

    @Test
    void finish_emptyBody_forwardsNothing() throws Exception {
        BodyRelay relay = relay(true, 0);

        relay.finish();

        assertThat(forwarded).isEmpty();
    }
}
