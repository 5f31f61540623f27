package org.opensts.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@code application/x-www-form-urlencoded} Query protocol body as the AWS SDKs write it: {@code Action} and
 * {@code Version} first, then the parameters in order, lists as {@code Name.member.N} (1-based), structures in lists
 * as {@code Name.member.N.Field}.
 */
final class QueryForm {

    private final List<String> pairs = new ArrayList<>();

    QueryForm(String action) {
        add("Action", action);
        add("Version", StsWireClient.API_VERSION);
    }

    QueryForm add(String name, String value) {
        if (value != null) {
            pairs.add(encode(name) + '=' + encode(value));
        }
        return this;
    }

    QueryForm add(String name, Integer value) {
        return value == null ? this : add(name, value.toString());
    }

    QueryForm addMembers(String name, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            add(name + ".member." + (i + 1), values.get(i));
        }
        return this;
    }

    /** PolicyArns: each member a PolicyDescriptorType with its {@code arn}. */
    QueryForm addPolicyArns(List<String> arns) {
        for (int i = 0; i < arns.size(); i++) {
            add("PolicyArns.member." + (i + 1) + ".arn", arns.get(i));
        }
        return this;
    }

    QueryForm addTags(List<Tag> tags) {
        for (int i = 0; i < tags.size(); i++) {
            add("Tags.member." + (i + 1) + ".Key", tags.get(i).key());
            add("Tags.member." + (i + 1) + ".Value", tags.get(i).value());
        }
        return this;
    }

    QueryForm addProvidedContexts(List<ProvidedContext> contexts) {
        for (int i = 0; i < contexts.size(); i++) {
            add("ProvidedContexts.member." + (i + 1) + ".ProviderArn", contexts.get(i).providerArn());
            add("ProvidedContexts.member." + (i + 1) + ".ContextAssertion", contexts.get(i).contextAssertion());
        }
        return this;
    }

    /** RFC 3986 percent-encoding of UTF-8, unreserved characters kept, as the SDKs encode form values. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (byte b : text.getBytes(UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    byte[] toBytes() {
        return String.join("&", pairs).getBytes(UTF_8);
    }
}
