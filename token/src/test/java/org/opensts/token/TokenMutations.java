package org.opensts.token;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Changes a token the ways an attacker or a broken client might: one or several characters (or decoded bytes)
 * replaced, a cut, an extension, an insertion, a deletion. The choices come from a {@link Choices}: the fuzzer's data
 * in the fuzz test, a seeded random in the forgery property. A change may by chance give back the original text; the
 * callers check acceptance against equality, so that is no false alarm.
 */
final class TokenMutations {
    /** What a mutated character is drawn from: the token's own alphabet, the URL-safe one, padding and blanks. */
    static final String CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_= .\n\u00e9";

    /** The kinds of change, each applied with the same probability. */
    enum Kind { ONE, SEVERAL, TRUNCATE, EXTEND, INSERT, DELETE }

    private TokenMutations() {
    }

    /** Where each choice comes from. */
    interface Choices {
        /** A number from {@code min} to {@code max}, both included. */
        int pick(int min, int max);
    }

    static Choices of(FuzzedDataProvider data) {
        return data::consumeInt;
    }

    static Choices of(SplittableRandom random) {
        return (min, max) -> min + random.nextInt(max - min + 1);
    }

    static String mutateText(String token, FuzzedDataProvider data) {
        return mutateText(token, of(data));
    }

    static byte[] mutateBytes(byte[] binary, FuzzedDataProvider data) {
        return mutateBytes(binary, of(data));
    }

    /** The text changed by one mutation of a kind chosen by {@code choices}. */
    static String mutateText(String text, Choices choices) {
        return mutateText(text, Kind.values()[choices.pick(0, Kind.values().length - 1)], choices);
    }

    static String mutateText(String text, Kind kind, Choices choices) {
        var out = new StringBuilder(text);
        switch (kind) {
            case ONE -> replaceChar(out, choices);
            case SEVERAL -> {
                for (int n = choices.pick(2, 16); n > 0; n--) {
                    replaceChar(out, choices);
                }
            }
            case TRUNCATE -> out.setLength(choices.pick(0, Math.max(0, text.length() - 1)));
            case EXTEND -> {
                for (int n = choices.pick(1, 16); n > 0; n--) {
                    out.append(anyChar(choices));
                }
            }
            case INSERT -> out.insert(choices.pick(0, text.length()), anyChar(choices));
            case DELETE -> {
                if (!text.isEmpty()) {
                    int from = choices.pick(0, text.length() - 1);
                    out.delete(from, from + choices.pick(1, Math.min(16, text.length() - from)));
                }
            }
        }
        return out.toString();
    }

    /** The bytes changed by one mutation of a kind chosen by {@code choices}. */
    static byte[] mutateBytes(byte[] binary, Choices choices) {
        return mutateBytes(binary, Kind.values()[choices.pick(0, Kind.values().length - 1)], choices);
    }

    static byte[] mutateBytes(byte[] binary, Kind kind, Choices choices) {
        var out = binary.clone();
        switch (kind) {
            case ONE -> flipByte(out, choices);
            case SEVERAL -> {
                for (int n = choices.pick(2, 16); n > 0; n--) {
                    flipByte(out, choices);
                }
            }
            case TRUNCATE -> out = Arrays.copyOf(out, choices.pick(0, Math.max(0, binary.length - 1)));
            case EXTEND -> {
                int extra = choices.pick(1, 16);
                out = Arrays.copyOf(out, binary.length + extra);
                for (int i = binary.length; i < out.length; i++) {
                    out[i] = (byte) choices.pick(0, 255);
                }
            }
            case INSERT -> {
                int at = choices.pick(0, binary.length);
                out = new byte[binary.length + 1];
                System.arraycopy(binary, 0, out, 0, at);
                out[at] = (byte) choices.pick(0, 255);
                System.arraycopy(binary, at, out, at + 1, binary.length - at);
            }
            case DELETE -> {
                if (binary.length > 0) {
                    int from = choices.pick(0, binary.length - 1);
                    int count = choices.pick(1, Math.min(16, binary.length - from));
                    out = new byte[binary.length - count];
                    System.arraycopy(binary, 0, out, 0, from);
                    System.arraycopy(binary, from + count, out, from, binary.length - from - count);
                }
            }
        }
        return out;
    }

    private static void replaceChar(StringBuilder text, Choices choices) {
        if (text.length() > 0) {
            text.setCharAt(choices.pick(0, text.length() - 1), anyChar(choices));
        }
    }

    private static char anyChar(Choices choices) {
        return CHARACTERS.charAt(choices.pick(0, CHARACTERS.length() - 1));
    }

    private static void flipByte(byte[] bytes, Choices choices) {
        if (bytes.length > 0) {
            bytes[choices.pick(0, bytes.length - 1)] ^= (byte) choices.pick(1, 255);
        }
    }
}
