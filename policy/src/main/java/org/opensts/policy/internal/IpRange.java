package org.opensts.policy.internal;

import java.util.Optional;

/**
 * An IPv4 or IPv6 address range in CIDR notation, as the {@code IpAddress} and {@code NotIpAddress}
 * condition operators take it ({@code 203.0.113.0/24}, {@code 2001:DB8:1234:5678::/64}).
 *
 * <p>IAM reads an address without a prefix as a single host ({@code /32}, or {@code /128} for IPv6).
 * Host bits below the prefix are ignored, so {@code 203.0.113.7/24} is the same range as
 * {@code 203.0.113.0/24}. An IPv4 address never falls in an IPv6 range or the other way round; an IPv4-mapped IPv6
 * address ({@code ::ffff:203.0.113.7}) is the IPv4 address it maps. Parsing is
 * done by hand: {@code InetAddress} could resolve host names, and this module does no I/O.
 */
public final class IpRange {
    private final boolean ipv6;
    private final long high;
    private final long low;
    private final int prefix;

    private IpRange(boolean ipv6, long high, long low, int prefix) {
        this.ipv6 = ipv6;
        this.prefix = prefix;
        this.high = high & mask(prefix);
        this.low = low & mask(prefix - 64);
    }

    /**
     * Parses {@code a.b.c.d[/n]} or an IPv6 address (with {@code ::} compression and an optional embedded
     * IPv4 tail) with an optional {@code /n}; empty if the text is neither.
     */
    public static Optional<IpRange> parse(String text) {
        String address = text.trim();
        int slash = address.indexOf('/');
        int prefix = -1;
        if (slash >= 0) {
            prefix = parseDecimal(address, slash + 1, address.length(), 128);
            if (prefix < 0) {
                return Optional.empty();
            }
            address = address.substring(0, slash);
        }
        int zone = address.indexOf('%');
        if (zone > 0 && address.indexOf(':') >= 0) {
            // A scoped IPv6 address (fe80::1%eth0, RFC 4007 §11), as a server reports a link-local client: the zone
            // names the sender's interface, not part of the address.
            address = address.substring(0, zone);
        }
        if (address.indexOf(':') < 0) {
            long v4 = parseIpv4(address, 0, address.length());
            if (v4 < 0 || prefix > 32) {
                return Optional.empty();
            }
            int bits = prefix < 0 ? 32 : prefix;
            // IPv4 lives in the top 32 bits of "high" so that one mask routine serves both families.
            return Optional.of(new IpRange(false, v4 << 32, 0, bits));
        }
        long[] v6 = parseIpv6(address);
        if (v6 == null) {
            return Optional.empty();
        }
        if (v6[0] == 0 && v6[1] >>> 32 == 0xFFFFL && (prefix < 0 || prefix >= 96)) {
            // An IPv4-mapped address (::ffff:a.b.c.d, RFC 4291 §2.5.5.2), as a dual-stack socket reports an IPv4
            // client: the IPv4 address it stands for, so that an IPv4 range in a policy applies to that client.
            return Optional.of(new IpRange(false, v6[1] << 32, 0, prefix < 0 ? 32 : prefix - 96));
        }
        return Optional.of(new IpRange(true, v6[0], v6[1], prefix < 0 ? 128 : prefix));
    }

    /** Whether {@code text} is one IPv4 or IPv6 address, without a prefix. */
    public static boolean isAddress(String text) {
        return text.indexOf('/') < 0 && text.equals(text.trim()) && parse(text).isPresent();
    }

    /** Whether every address of {@code other} lies in this range (for a single address: whether it is in it). */
    public boolean contains(IpRange other) {
        if (ipv6 != other.ipv6 || other.prefix < prefix) {
            return false;
        }
        return (other.high & mask(prefix)) == high && (other.low & mask(prefix - 64)) == low;
    }

    private static long mask(int bits) {
        if (bits <= 0) {
            return 0L;
        }
        if (bits >= 64) {
            return -1L;
        }
        return -1L << (64 - bits);
    }

    private static int parseDecimal(String s, int from, int to, int max) {
        if (from >= to || to - from > 3) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value > max ? -1 : value;
    }

    private static long parseIpv4(String s, int from, int to) {
        long value = 0;
        int octets = 0;
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || s.charAt(i) == '.') {
                int octet = parseDecimal(s, start, i, 255);
                if (octet < 0 || octets == 4) {
                    return -1;
                }
                value = (value << 8) | octet;
                octets++;
                start = i + 1;
            }
        }
        return octets == 4 ? value : -1;
    }

    private static long[] parseIpv6(String s) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (s.startsWith(":")) {
            return null;
        }
        while (i < s.length()) {
            int end = i;
            while (end < s.length() && s.charAt(end) != ':') {
                end++;
            }
            if (end == i) {
                return null;
            }
            if (end == s.length() && s.indexOf('.', i) >= 0) {
                long v4 = parseIpv4(s, i, end);
                if (v4 < 0 || count > 6) {
                    return null;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xFFFF);
                i = end;
                break;
            }
            if (end - i > 4 || count == 8) {
                return null;
            }
            int group = 0;
            for (int k = i; k < end; k++) {
                int digit = Character.digit(s.charAt(k), 16);
                if (digit < 0) {
                    return null;
                }
                group = (group << 4) | digit;
            }
            groups[count++] = group;
            if (end == s.length()) {
                i = end;
                break;
            }
            if (end + 1 < s.length() && s.charAt(end + 1) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i = end + 2;
            } else if (end + 1 == s.length()) {
                return null;
            } else {
                i = end + 1;
            }
        }
        if (gap < 0 && count != 8 || gap >= 0 && count == 8) {
            return null;
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            int tail = count - gap;
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        long high = 0;
        long low = 0;
        for (int k = 0; k < 4; k++) {
            high = (high << 16) | full[k];
            low = (low << 16) | full[k + 4];
        }
        return new long[] {high, low};
    }

    @Override
    public String toString() {
        if (!ipv6) {
            long v = high >>> 32;
            return (v >>> 24) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF) + "." + (v & 0xFF) + "/" + prefix;
        }
        var sb = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            long word = k < 4 ? high : low;
            int shift = 48 - 16 * (k % 4);
            if (k > 0) {
                sb.append(':');
            }
            sb.append(Long.toHexString((word >>> shift) & 0xFFFF));
        }
        return sb.append('/').append(prefix).toString();
    }
}
