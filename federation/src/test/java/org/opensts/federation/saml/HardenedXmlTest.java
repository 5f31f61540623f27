package org.opensts.federation.saml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.federation.testing.TestSamlIdp;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.testing.TestData;

/**
 * The XML pre-flight that runs before any SAML logic, on {@code SAMLAssertion} and on IdP metadata: hostile XML is
 * refused with {@code InvalidIdentityToken}, and nothing is fetched or expanded. A loopback HTTP listener stands in
 * for the attacker's server and must see no request.
 */
class HardenedXmlTest {
    private static final String INVALID_RESPONSE = "Invalid SAML response";
    private static HttpServer listener;
    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static String base;

    @BeforeAll
    static void startListener() throws IOException {
        listener = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        listener.createContext("/", exchange -> {
            REQUESTS.incrementAndGet();
            byte[] body = "<!ENTITY leak 'fetched'>".getBytes(UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        listener.start();
        base = "http://127.0.0.1:" + listener.getAddress().getPort();
    }

    @AfterAll
    static void stopListener() {
        listener.stop(0);
    }

    /** One file of {@code testdata/saml/saml-rs/tests/fixtures/attacks}. */
    record Attack(String name, Path file) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Attack> samlRsAttacks() throws IOException {
        try (var files = Files.list(TestData.file("saml", "saml-rs", "tests", "fixtures", "attacks"))) {
            return files.sorted().map(f -> new Attack(f.getFileName().toString(), f)).toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samlRsAttacks")
    void samlRsAttack_isRefusedAsResponseAndAsMetadata(Attack attack) throws IOException {
        String xml = Files.readString(attack.file(), UTF_8);
        var verifier = SamlResponseVerifierTest.verifierAt(Instant.parse("2024-01-01T00:00:00Z"));

        assertRefused(() -> verifier.verify(TestSamlIdp.base64(xml), SamlResponseVerifierTest.METADATA),
                INVALID_RESPONSE);
        assertRefused(() -> SamlMetadata.parse(xml), "Could not parse metadata");
    }

    @Test
    void samlRsAttacks_withADoctype_failAtParse() throws IOException {
        List<Attack> withDoctype = samlRsAttacks().filter(a -> read(a).contains("<!DOCTYPE")).toList();
        assertThat(withDoctype).extracting(Attack::name).contains("01_xxe_local_file_authn.xml",
                "02_xxe_remote_ssrf_authn.xml", "03_parameter_entity_expansion_authn.xml",
                "04_billion_laughs_authn.xml", "20_xxe_metadata_remote.xml");
        for (Attack attack : withDoctype) {
            assertRefused(() -> HardenedXml.parse(read(attack), "x"), "x");
        }
    }

    @Test
    void samlRsAttack_undeclaredEntity_failsAtParse() throws IOException {
        Attack attack = samlRsAttacks().filter(a -> a.name().startsWith("18_")).findFirst().orElseThrow();
        assertRefused(() -> HardenedXml.parse(read(attack), "x"), "x");
    }

    record Payload(String name, String xml) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Payload> hostilePayloads() {
        String response = "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r\""
                + " Version=\"2.0\"";
        return Stream.of(
                new Payload("external DTD", "<!DOCTYPE r SYSTEM \"" + base + "/dtd\">" + response + "/>"),
                new Payload("external general entity", "<!DOCTYPE r [<!ENTITY x SYSTEM \"" + base + "/entity\">]>"
                        + response + ">&x;</samlp:Response>"),
                new Payload("external parameter entity", "<!DOCTYPE r [<!ENTITY % p SYSTEM \"" + base
                        + "/param\"> %p;]>" + response + ">&leak;</samlp:Response>"),
                new Payload("local file entity", "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"
                        + response + ">&x;</samlp:Response>"),
                new Payload("billion laughs", "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;"
                        + "&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;"
                        + "&c;&c;&c;&c;&c;&c;\">]>" + response + ">&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;</samlp:Response>"),
                new Payload("XInclude", response + " xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\""
                        + base + "/xinclude\" parse=\"text\"/></samlp:Response>"),
                new Payload("schema location", response + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                        + " xsi:schemaLocation=\"urn:oasis:names:tc:SAML:2.0:protocol " + base + "/xsd\"/>"),
                new Payload("stylesheet processing instruction", "<?xml-stylesheet type=\"text/xsl\" href=\"" + base
                        + "/xsl\"?>" + response + "/>"),
                new Payload("attribute injected into the root", response.replace(" ID=", " ::foo=\"bar\" ID=")
                        + "/>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostilePayloads")
    void hostilePayload_isRefused_andNothingIsFetched(Payload payload) {
        int before = REQUESTS.get();
        var verifier = SamlResponseVerifierTest.verifierAt(SamlResponseVerifierTest.NOW);

        assertThatThrownBy(() -> verifier.verify(TestSamlIdp.base64(payload.xml()),
                SamlResponseVerifierTest.METADATA)).isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_IDENTITY_TOKEN);
                    assertThat(e.getMessage()).doesNotContain("fetched", "aaaaaaaaaa");
                });
        assertRefused(() -> SamlMetadata.parse(payload.xml()), "Could not parse metadata");
        assertThat(REQUESTS.get()).as("requests to the listener").isEqualTo(before);
    }

    @Test
    void listener_answersWhenAskedDirectly() throws Exception {
        // the listener works, so its silence above means nothing asked
        int before = REQUESTS.get();
        try (var in = java.net.URI.create(base + "/probe").toURL().openStream()) {
            assertThat(new String(in.readAllBytes(), UTF_8)).contains("fetched");
        }
        assertThat(REQUESTS.get()).isEqualTo(before + 1);
    }

    @Test
    void attributeInjectedIntoTheRootOfARealResponse_failsToParse() {
        byte[] google = SamlCorpusTest.read(TestData.file("saml", "crewjam-saml", "testdata",
                "TestSPCanHandlePlaintextResponse_response"), true);
        String xml = new String(google, UTF_8);
        int rootEnd = xml.indexOf("<saml2p:Response ") + "<saml2p:Response".length();
        String injected = xml.substring(0, rootEnd) + " ::foo=\"bar\"" + xml.substring(rootEnd);
        assertThat(injected).contains("<saml2p:Response ::foo=\"bar\" ");

        assertRefused(() -> HardenedXml.parse(injected.getBytes(UTF_8), INVALID_RESPONSE), INVALID_RESPONSE);
    }

    @Test
    void decodeBase64_toleratesLineBreaksAndSpaces_refusesOtherCharacters() {
        assertThat(HardenedXml.decodeBase64("PGE+\r\nPC9h\n Pg==\t")).isEqualTo("<a></a>".getBytes(UTF_8));
        for (String bad : List.of("PGE+PC9hPg==!", "PGE+PC9hPg==%0A", "PGE-PC9hPg==", "PGE+PC9hPg=a")) {
            assertRefused(() -> HardenedXml.decodeBase64(bad), INVALID_RESPONSE);
        }
    }

    private static String read(Attack attack) {
        try {
            return Files.readString(attack.file(), UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertRefused(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_IDENTITY_TOKEN);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }
}
