package org.opensts.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangeTest {
    record Case(String name, String range, String address, boolean contains) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("an address in a /24", "203.0.113.0/24", "203.0.113.255", true),
                new Case("an address past a /24", "203.0.113.0/24", "203.0.114.0", false),
                new Case("host bits in the range are ignored", "203.0.113.7/24", "203.0.113.200", true),
                new Case("no prefix means /32", "203.0.113.7", "203.0.113.7", true),
                new Case("no prefix excludes the neighbour", "203.0.113.7", "203.0.113.8", false),
                new Case("/0 holds every IPv4 address", "0.0.0.0/0", "198.51.100.1", true),
                new Case("an IPv6 /64", "2001:DB8:1234:5678::/64", "2001:db8:1234:5678:ffff::1", true),
                new Case("outside an IPv6 /64", "2001:DB8:1234:5678::/64", "2001:db8:1234:5679::", false),
                new Case("an IPv6 /100 crosses the 64-bit halves", "2001:db8::/100", "2001:db8::0fff:ffff", true),
                new Case("an IPv6 /100 upper bound", "2001:db8::/100", "2001:db8::1000:0", false),
                new Case("IPv4 is not in an IPv6 range", "::/0", "10.0.0.1", false),
                new Case("IPv6 is not in an IPv4 range", "0.0.0.0/0", "::1", false),
                new Case("an embedded IPv4 tail", "::ffff:10.0.0.0/120", "::ffff:10.0.0.9", true),
                new Case("an IPv4-mapped address is the IPv4 address", "203.0.113.0/24", "::ffff:203.0.113.7", true),
                new Case("the same in hexadecimal groups", "203.0.113.0/24", "0:0:0:0:0:ffff:cb00:7107", true),
                new Case("an IPv4-mapped address outside the range", "203.0.113.0/24", "::ffff:203.0.114.7", false),
                new Case("an IPv4-mapped range is the IPv4 range", "::ffff:10.0.0.0/104", "10.1.2.3", true),
                new Case("an IPv4-mapped address is not in every IPv6 range", "::/0", "::ffff:10.0.0.1", false),
                new Case("a scoped address is its address", "fe80::/10", "fe80::1%eth0", true),
                new Case("a range inside a range", "10.0.0.0/8", "10.1.0.0/16", true),
                new Case("a wider range is not inside", "10.1.0.0/16", "10.0.0.0/8", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void contains_comparesPrefixBits(Case c) {
        assertThat(IpRange.parse(c.range()).orElseThrow().contains(IpRange.parse(c.address()).orElseThrow()))
                .isEqualTo(c.contains());
    }

    @ParameterizedTest(name = "{0} is one address")
    @ValueSource(strings = {"203.0.113.7", "::1", "2001:db8::7", "::ffff:203.0.113.7", "fe80::1%eth0",
            "fe80:0:0:0:0:0:0:1%2"})
    void isAddress_oneAddress(String text) {
        assertThat(IpRange.isAddress(text)).isTrue();
    }

    @ParameterizedTest(name = "{0} is not one address")
    @ValueSource(strings = {"", "not-an-ip", "3405803783", "203.0.113.0/24", "2001:db8::/64", "203.0.113.7 "})
    void isAddress_notOneAddress(String text) {
        assertThat(IpRange.isAddress(text)).isFalse();
    }

    @ParameterizedTest(name = "{0} is not an address")
    @ValueSource(strings = {"", "10.0.0", "10.0.0.256", "10.0.0.1/33", "1:2:3:4:5:6:7:8:9", "1::2::3", "2001:db8::/129",
            "example.com", "10.0.0.1/", ":1", "1:", "12345::"})
    void parse_rejectsWhatIsNotAnAddress(String text) {
        assertThat(IpRange.parse(text)).isEmpty();
    }
}
