package org.opensts.sigv4;

import static java.time.format.DateTimeFormatter.BASIC_ISO_DATE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link SigV4Verifier#parse} reads the {@code Authorization} header, the credential and {@code SignedHeaders} in
 * place; for any header, well-formed or not, it returns what the former implementation (which split them into
 * lists and substrings, kept here as the oracle) returned, or fails with the same failure and message. Also the
 * rewritten pieces one by one: the canonical-{@code SignedHeaders} check and the scope's date.
 */
class HeaderFormParsePropertyTest {

    private static final SigV4Verifier SIGV4 = SigV4Verifier.create();
    private static final SigV4Verifier WITH_SIGV4A = SigV4Verifier.create(
            SigV4Verifier.Options.defaults().withAllowSigV4a(true));
    private static final String HEX = "0123456789abcdef";

    /** What a parse gave: the signed request's parts, or the failure. */
    record Outcome(String description) {
    }

    @Provide
    Arbitrary<String> credentials() {
        Arbitrary<String> part = Arbitraries.of("AKIDEXAMPLE", "ASIAEXAMPLE", "", "20150830", "2015083", "20151330",
                "0000O101", "00000101", "99991231", "us-east-1", "é", "*", "sts", "s3", "aws4_request",
                "aws4_requesT", "aws4_request ", "a b");
        // Each part mostly valid, so that later checks are reached as often as earlier ones fail.
        Arbitrary<String> wellFormed = Combinators.combine(mostly("AKIDEXAMPLE", "", "A"),
                mostly("20150830", "2015083", "20150230", "x0150830"), mostly("us-east-1", "", "r", "a/b"),
                mostly("sts", "", "iam"), mostly("aws4_request", "aws4_requesT", "", "x"),
                Arbitraries.integers().between(0, 5)).as((akid, date, region, service, terminator, shape) ->
                        akid + '/' + date + (shape == 0 ? "" : '/' + region) + '/' + service + '/' + terminator);
        Arbitrary<String> anyParts = part.list().ofMinSize(1).ofMaxSize(7).map(parts -> String.join("/", parts));
        return Arbitraries.frequencyOf(Tuple.of(8, wellFormed), Tuple.of(1, anyParts),
                Tuple.of(1, Arbitraries.strings().withChars("/Aa1 é").ofMaxLength(12)));
    }

    /** The first value nine times in ten, else one of the others. */
    private static Arbitrary<String> mostly(String usual, String... others) {
        return Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(usual)), Tuple.of(1, Arbitraries.of(others)));
    }

    @Provide
    Arbitrary<String> signedHeaderLists() {
        Arbitrary<String> name = Arbitraries.of("host", "Host", "x-amz-date", "x-amz-security-token", "a", "b", "",
                " host", "é", "HOST", "content-type", "ab", "x-amz");
        // Some names are prefixes of others ("a" of "ab", "x-amz" of "x-amz-date"): sorted, the shorter comes first.
        Arbitrary<String> canonical = Arbitraries.of("host", "x-amz-date", "x-amz-security-token", "a", "ab", "x-amz",
                "content-type")
                .set().ofMinSize(1).ofMaxSize(4).map(names -> String.join(";", new TreeSet<>(names)));
        return Arbitraries.oneOf(canonical, canonical, canonical,
                name.list().ofMaxSize(5).map(names -> String.join(";", names)),
                Arbitraries.strings().withChars("abhost;-AB é").ofMaxLength(16));
    }

    @Provide
    Arbitrary<String> signatures() {
        Arbitrary<String> lower = Arbitraries.strings().withChars(HEX).ofLength(64);
        return Arbitraries.oneOf(lower, lower, lower, lower, lower, lower.map(s -> s.toUpperCase(Locale.ROOT)),
                Arbitraries.of("", "xyz", "abc"), Arbitraries.strings().withChars(HEX + "ABCXYZ").ofMaxLength(8));
    }

    @Provide
    Arbitrary<String> authorizations() {
        // Mostly the three fields, in any order, among others that may be malformed or repeat one of them.
        Arbitrary<String> other = Arbitraries.of("Foo=bar", "noequal", "=x", "Credential", "credential=x",
                "Signature==", "a=b=c", "Credential=AKID/20150830/us-east-1/sts/aws4_request", "SignedHeaders=");
        Arbitrary<List<String>> fields = Combinators.combine(credentials().map(c -> "Credential=" + c),
                signedHeaderLists().map(h -> "SignedHeaders=" + h), signatures().map(s -> "Signature=" + s),
                other.list().ofMaxSize(2), Arbitraries.integers().between(0, 19)).as((c, h, sig, others, drop) -> {
                    List<String> all = new ArrayList<>(List.of(c, h, sig));
                    if (drop < 3) {
                        all.remove((int) drop);
                    }
                    if (drop < 8) {
                        all.addAll(others);
                    }
                    return all;
                }).flatMap(all -> Arbitraries.shuffle(all));
        Arbitrary<String> separator = Arbitraries.of(", ", ",", " ", "\t", ",,", " ,\u2003", "\n");
        Arbitrary<String> algorithm = Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(SigV4.ALGORITHM)),
                Tuple.of(4, Arbitraries.just(SigV4a.ALGORITHM)), Tuple.of(4, Arbitraries.of("AWS4-HMAC-SHA512",
                        "AWS4-HMAC-SHA256,", "Bearer", "AWS", "AWS4-", "aws4-hmac-sha256")));
        return Combinators.combine(algorithm, fields, separator.list().ofMinSize(6).ofMaxSize(6),
                Arbitraries.of("", " ", "\t")).as((alg, list, separators, pad) -> {
                    StringBuilder out = new StringBuilder(pad).append(alg);
                    for (int i = 0; i < list.size(); i++) {
                        out.append(i == 0 ? " " : separators.get(i)).append(list.get(i));
                    }
                    return out.append(pad).toString();
                });
    }

    @Provide
    Arbitrary<SignableRequest> requests() {
        Arbitrary<String> amzDate = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("20150830T123600Z")),
                Tuple.of(2, Arbitraries.of(" 20150830T123600Z ", "20150830T123660Z", "2015-08-30T12:36:00Z", "")));
        Arbitrary<String> date = Arbitraries.of("Sun, 30 Aug 2015 12:36:00 GMT", "yesterday");
        Arbitrary<String> token = Arbitraries.of("token/+=", "", " ");
        Arbitrary<String> regionSet = Arbitraries.of("*", "us-east-1,us-west-2", "", " ", "a/b");
        return Combinators.combine(authorizations(), amzDate.optional(0.9), date.optional(), token.optional(),
                regionSet.optional(0.7), Arbitraries.of(true, false)).as((authorization, x, d, t, r, twice) -> {
                    SignableRequest.Builder builder = SignableRequest.builder().method("POST")
                            .addHeader("Host", "sts.amazonaws.com").addHeader("Authorization", authorization);
                    if (twice && authorization.length() % 7 == 0) {
                        builder.addHeader("authorization", "Credential=x");
                    }
                    x.ifPresent(value -> builder.addHeader("X-Amz-Date", value));
                    d.ifPresent(value -> builder.addHeader("Date", value));
                    t.ifPresent(value -> builder.addHeader("x-amz-security-token", value));
                    r.ifPresent(value -> builder.addHeader("X-Amz-Region-Set", value));
                    return builder.build();
                });
    }

    // Edge cases would be mostly requests without a credential or a date: drawn at random, every check is reached.
    @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
    void parse_givesWhatTheFormerParseGave(@ForAll("requests") SignableRequest request, @ForAll boolean sigV4a) {
        SigV4Verifier verifier = sigV4a ? WITH_SIGV4A : SIGV4;

        Outcome expected = outcome(() -> OldParse.parse(request, verifier.options().allowSigV4a()));
        assertThat(outcome(() -> describe(verifier.parse(request)))).isEqualTo(expected);
        // Both successes and each kind of failure must be drawn often enough to compare.
        String description = expected.description();
        Statistics.collect(!description.startsWith("HEADER") ? description.substring(0, description.indexOf(':'))
                : description.endsWith("signature=null") ? "parsed, signature refused" : "parsed");
    }

    @Property
    void isCanonicalSignedHeaders_isTheFormerCheck(@ForAll("signedHeaderLists") String signedHeaders) {
        assertThat(SigV4Verifier.isCanonicalSignedHeaders(signedHeaders))
                .isEqualTo(OldParse.isCanonicalSignedHeaders(signedHeaders));
    }

    @Property
    void formatDate_isBasicIsoDate(@ForAll("dates") LocalDate date) {
        assertThat(CredentialScope.formatDate(date)).isEqualTo(BASIC_ISO_DATE.format(date));
        assertThat(CredentialScope.parseDate(CredentialScope.formatDate(date))).isEqualTo(date);
    }

    @Provide
    Arbitrary<LocalDate> dates() {
        return Arbitraries.longs().between(LocalDate.of(0, 1, 1).toEpochDay(), LocalDate.of(9999, 12, 31).toEpochDay())
                .map(LocalDate::ofEpochDay);
    }

    private interface Parse {
        String run() throws SigV4Exception;
    }

    private static Outcome outcome(Parse parse) {
        try {
            return new Outcome(parse.run());
        } catch (SigV4Exception e) {
            return new Outcome(e.failure() + ": " + e.getMessage());
        }
    }

    private static String describe(SignedRequest signed) {
        return describe(signed.form(), signed.isSigV4a(), signed.accessKeyId(), signed.credentialScope(),
                signed.scope(), signed.signedHeaders(), signed.signedHeadersJoined(), signed.requestTime(),
                signed.amzDate(), signed.securityToken().orElse(null), signed.signature());
    }

    static String describe(SignedRequest.Form form, boolean sigV4a, String accessKeyId, CredentialScope scope,
            String scopeText, List<String> signedHeaders, String signedHeadersJoined, Instant requestTime,
            String amzDate, String securityToken, byte[] signature) {
        return form + " sigV4a=" + sigV4a + " akid=" + accessKeyId + " scope=" + scope + " scopeText=" + scopeText
                + " signedHeaders=" + signedHeaders + " joined=" + signedHeadersJoined + " time=" + requestTime
                + " amzDate=" + amzDate + " token=" + securityToken
                + " signature=" + (signature == null ? null : Hex.encode(signature));
    }

    /** The former header-form parse, as it was before it read the header in place. */
    private static final class OldParse {

        static String parse(SignableRequest request, boolean allowSigV4a) throws SigV4Exception {
            String authorization = request.joinedHeader(WireNames.AUTHORIZATION);
            if (authorization == null || authorization.isBlank()) {
                throw new SigV4Exception(SigV4Failure.MISSING_AUTHENTICATION_TOKEN,
                        FailureMessages.MISSING_AUTHENTICATION_TOKEN);
            }
            String value = authorization.strip();
            int space = indexOfWhitespace(value);
            String algorithm = space < 0 ? value : value.substring(0, space);
            String credential = null;
            String signedHeaders = null;
            String signature = null;
            if (algorithm.startsWith("AWS4-") && space >= 0) {
                for (String field : authorizationFields(value.substring(space + 1))) {
                    int equals = field.indexOf('=');
                    if (equals < 0) {
                        throw incomplete(FailureMessages.missingEqualSign(field));
                    }
                    String key = field.substring(0, equals);
                    String fieldValue = field.substring(equals + 1);
                    switch (key) {
                        case WireNames.CREDENTIAL:
                            credential = onlyOnce(credential, fieldValue, key);
                            break;
                        case WireNames.SIGNED_HEADERS:
                            signedHeaders = onlyOnce(signedHeaders, fieldValue, key);
                            break;
                        case WireNames.SIGNATURE:
                            signature = onlyOnce(signature, fieldValue, key);
                            break;
                        default:
                            break;
                    }
                }
            }
            String amzDate = request.joinedHeader(WireNames.X_AMZ_DATE);
            String httpDate = amzDate == null ? request.joinedHeader(WireNames.DATE) : null;
            StringBuilder missing = new StringBuilder();
            appendMissing(missing, isEmpty(credential),
                    FailureMessages.missingAuthorizationField(WireNames.CREDENTIAL));
            appendMissing(missing, isEmpty(signature), FailureMessages.missingAuthorizationField(WireNames.SIGNATURE));
            appendMissing(missing, signedHeaders == null,
                    FailureMessages.missingAuthorizationField(WireNames.SIGNED_HEADERS));
            appendMissing(missing, amzDate == null && httpDate == null, FailureMessages.MISSING_DATE_HEADER);
            if (missing.length() > 0) {
                throw incomplete(missing.toString());
            }
            Instant requestTime = amzDate != null ? AmzDate.parseBasic(amzDate.strip())
                    : AmzDate.parseHttpDate(httpDate.strip());
            if (requestTime == null) {
                throw incomplete(FailureMessages.malformedDate(amzDate != null ? amzDate : httpDate));
            }
            if (!algorithm.equals(SigV4.ALGORITHM) && !(allowSigV4a && algorithm.equals(SigV4a.ALGORITHM))) {
                throw incomplete(FailureMessages.unsupportedAlgorithm(algorithm));
            }
            return signedRequest(algorithm, credential, signedHeaders, signature, requestTime,
                    request.joinedHeader(WireNames.X_AMZ_SECURITY_TOKEN), request.joinedHeader(SigV4a.REGION_SET));
        }

        private static String signedRequest(String algorithm, String credential, String signedHeaders,
                String signature, Instant requestTime, String securityToken, String regionSet)
                throws SigV4Exception {
            String amzDate = AmzDate.format(requestTime);
            boolean sigV4a = algorithm.equals(SigV4a.ALGORITHM);
            String[] parts = credential.split("/", -1);
            if (sigV4a) {
                if (isEmpty(regionSet)) {
                    throw incomplete(FailureMessages.MISSING_REGION_SET);
                }
                if (parts.length != 4) {
                    throw incomplete(FailureMessages.malformedCredential(credential));
                }
                parts = new String[] {parts[0], parts[1], regionSet.strip(), parts[2], parts[3]};
            }
            if (parts.length != 5 || parts[0].isEmpty() || parts[2].isEmpty() || parts[3].isEmpty()) {
                throw incomplete(FailureMessages.malformedCredential(credential));
            }
            if (!parts[4].equals(CredentialScope.TERMINATOR)) {
                throw mismatch(FailureMessages.wrongTerminator(parts[4]));
            }
            LocalDate scopeDate = CredentialScope.parseDate(parts[1]);
            if (scopeDate == null) {
                throw mismatch(FailureMessages.scopeDateMismatch(parts[1], amzDate));
            }
            CredentialScope scope;
            try {
                scope = new CredentialScope(scopeDate, parts[2], parts[3]);
            } catch (IllegalArgumentException e) {
                throw incomplete(FailureMessages.malformedCredential(credential));
            }
            byte[] claimed = isCanonicalSignedHeaders(signedHeaders) ? Hex.decodeLowerCase(signature) : null;
            List<String> names = List.copyOf(signedHeaderNames(signedHeaders));
            String scopeText = sigV4a
                    ? BASIC_ISO_DATE.format(scope.date()) + '/' + scope.service() + '/' + CredentialScope.TERMINATOR
                    : BASIC_ISO_DATE.format(scope.date()) + '/' + scope.region() + '/' + scope.service() + '/'
                            + CredentialScope.TERMINATOR;
            return describe(SignedRequest.Form.HEADER, sigV4a, parts[0], scope, scopeText, names,
                    String.join(";", names), requestTime, amzDate, isEmpty(securityToken) ? null : securityToken,
                    claimed);
        }

        static boolean isCanonicalSignedHeaders(String signedHeaders) {
            String previous = null;
            int start = 0;
            while (start <= signedHeaders.length()) {
                int end = signedHeaders.indexOf(';', start);
                if (end < 0) {
                    end = signedHeaders.length();
                }
                if (end == start) {
                    return false;
                }
                String name = signedHeaders.substring(start, end);
                for (int i = 0; i < name.length(); i++) {
                    char c = name.charAt(i);
                    if (c <= ' ' || c >= 0x7F || (c >= 'A' && c <= 'Z')) {
                        return false;
                    }
                }
                if (previous != null && previous.compareTo(name) >= 0) {
                    return false;
                }
                previous = name;
                start = end + 1;
            }
            return true;
        }

        private static List<String> authorizationFields(String text) {
            List<String> fields = new ArrayList<>(4);
            int start = -1;
            for (int i = 0; i <= text.length(); i++) {
                boolean separator = i == text.length() || text.charAt(i) == ','
                        || Character.isWhitespace(text.charAt(i));
                if (separator && start >= 0) {
                    fields.add(text.substring(start, i));
                    start = -1;
                } else if (!separator && start < 0) {
                    start = i;
                }
            }
            return fields;
        }

        private static List<String> signedHeaderNames(String signedHeaders) {
            List<String> names = new ArrayList<>(8);
            for (String name : signedHeaders.split(";", -1)) {
                String lower = name.strip().toLowerCase(Locale.ROOT);
                if (!lower.isEmpty()) {
                    names.add(lower);
                }
            }
            Collections.sort(names);
            for (int i = names.size() - 1; i > 0; i--) {
                if (names.get(i).equals(names.get(i - 1))) {
                    names.remove(i);
                }
            }
            return names;
        }

        private static String onlyOnce(String previous, String value, String field) throws SigV4Exception {
            if (previous != null) {
                throw incomplete(FailureMessages.duplicateAuthorizationField(field));
            }
            return value;
        }

        private static void appendMissing(StringBuilder missing, boolean isMissing, String sentence) {
            if (isMissing) {
                if (missing.length() > 0) {
                    missing.append(' ');
                }
                missing.append(sentence);
            }
        }

        private static boolean isEmpty(String value) {
            return value == null || value.isEmpty();
        }

        private static int indexOfWhitespace(String value) {
            for (int i = 0; i < value.length(); i++) {
                if (Character.isWhitespace(value.charAt(i))) {
                    return i;
                }
            }
            return -1;
        }

        private static SigV4Exception incomplete(String message) {
            return new SigV4Exception(SigV4Failure.INCOMPLETE_SIGNATURE, message);
        }

        private static SigV4Exception mismatch(String message) {
            return new SigV4Exception(SigV4Failure.SIGNATURE_DOES_NOT_MATCH, message);
        }
    }
}
