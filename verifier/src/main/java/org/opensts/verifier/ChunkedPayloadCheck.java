package org.opensts.verifier;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.opensts.sigv4.AwsChunkedDecoder;

/**
 * The check an {@code aws-chunked} body owes: its framing, each chunk's signature, the trailer's signature and
 * checksums, and its decoded length. Decoded data is handed out as it arrives, before the chunk that holds it is
 * verified: a service must not act on the body before {@link #finish()} returns.
 */
final class ChunkedPayloadCheck implements PayloadCheck {
    private final AwsChunkedDecoder decoder;
    private final long decodedLength;
    private boolean finished;

    ChunkedPayloadCheck(AwsChunkedDecoder decoder, long decodedLength) {
        this.decoder = decoder;
        this.decodedLength = decodedLength;
    }

    @Override
    public void update(ByteBuffer received, Consumer<ByteBuffer> decoded) throws VerificationException {
        if (finished) {
            throw new IllegalStateException("the body was already finished");
        }
        try {
            decoder.feed(received, decoded);
        } catch (AwsChunkedDecoder.DecodingException e) {
            throw translate(e);
        }
    }

    @Override
    public Map<String, String> finish() throws VerificationException {
        if (finished) {
            throw new IllegalStateException("the body was already finished");
        }
        finished = true;
        try {
            return decoder.finish();
        } catch (AwsChunkedDecoder.DecodingException e) {
            throw translate(e);
        }
    }

    @Override
    public OptionalLong decodedContentLength() {
        return OptionalLong.of(decodedLength);
    }

    private static VerificationException translate(AwsChunkedDecoder.DecodingException e) {
        return switch (e.failure()) {
            case MALFORMED -> new VerificationException(VerificationFailure.MALFORMED_BODY,
                    Messages.S3_INCOMPLETE_BODY);
            case SIGNATURE -> new VerificationException(VerificationFailure.SIGNATURE_DOES_NOT_MATCH,
                    Messages.S3_SIGNATURE_DOES_NOT_MATCH);
            case CHECKSUM -> new VerificationException(VerificationFailure.BAD_DIGEST,
                    Messages.badDigest(e.algorithm().awsName()));
        };
    }
}
