package org.opensts.token.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ByteReaderTest {

    record Case(String name, byte[] input, Consumer<ByteReader> read) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> malformed() {
        return Stream.of(
                new Case("a byte from nothing", new byte[0], ByteReader::readByte),
                new Case("an int from three bytes", new byte[3], ByteReader::readInt),
                new Case("a varint that never ends", new byte[] {(byte) 0x80, (byte) 0x80}, ByteReader::readVarint),
                new Case("a varint of ten groups", new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01},
                        ByteReader::readVarint),
                new Case("a varint above its bound", new byte[] {0x05}, in -> in.readVarint(4)),
                new Case("a string longer than the input", new byte[] {0x05, 'a', 'b'}, ByteReader::readString),
                new Case("a count of more items than bytes", new byte[] {0x03, 0x00}, in -> in.readCount(1)),
                new Case("bytes past the window", new byte[4], in -> in.readBytes(5)));
    }

    @ParameterizedTest(name = "{0} is rejected")
    @MethodSource("malformed")
    void read_malformedInput_isRejected(Case c) {
        assertThatThrownBy(() -> c.read().accept(new ByteReader(c.input())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readVarint_largestValue_isRead() {
        var out = new ByteWriter(10);
        out.writeVarint(Long.MAX_VALUE);

        assertThat(new ByteReader(out.toByteArray()).readVarint()).isEqualTo(Long.MAX_VALUE);
    }
}
