package org.opensts.token.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ByteWriterTest {

    @Test
    void writeVarint_usesSevenBitsAByteLowGroupFirst() {
        var out = new ByteWriter(0);
        out.writeVarint(0);
        out.writeVarint(127);
        out.writeVarint(128);
        out.writeVarint(300);

        assertThat(out.toByteArray()).containsExactly(0x00, 0x7f, 0x80, 0x01, 0xac, 0x02);
    }

    @Test
    void writeString_isUtf8LengthThenBytes() {
        var out = new ByteWriter(0);
        out.writeString("é");

        assertThat(out.toByteArray()).containsExactly(0x02, 0xc3, 0xa9);
    }

    @Test
    void wipe_zeroesAndEmpties() {
        var out = new ByteWriter(4);
        out.writeBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}); // outgrows the first buffer
        out.wipe();
        out.writeZeros(8);

        assertThat(out.size()).isEqualTo(8);
        assertThat(out.toByteArray()).containsOnly(0);
    }

    @Property
    void readingWhatWasWrittenGivesBackTheValues(@ForAll @LongRange(min = 0) long varint, @ForAll int i,
            @ForAll long l, @ForAll String text, @ForAll byte[] bytes) {
        var out = new ByteWriter(1);
        out.writeVarint(varint);
        out.writeInt(i);
        out.writeLong(l);
        out.writeString(text.replaceAll("\\p{Cs}", "?")); // unpaired surrogates have no UTF-8 form
        out.writeLengthPrefixed(bytes);

        var in = new ByteReader(out.toByteArray());

        assertThat(in.readVarint()).isEqualTo(varint);
        assertThat(in.readInt()).isEqualTo(i);
        assertThat(in.readLong()).isEqualTo(l);
        assertThat(in.readString()).isEqualTo(text.replaceAll("\\p{Cs}", "?"));
        assertThat(in.readLengthPrefixed()).isEqualTo(bytes);
        assertThat(in.remaining()).isZero();
    }
}
