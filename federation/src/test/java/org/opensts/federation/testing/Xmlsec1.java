package org.opensts.federation.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code xmlsec1} command (Debian package {@code xmlsec1}, an independent XML signature implementation) as a
 * subprocess: signs SAML documents the way IdPs built on it do, and checks our test signer's output.
 *
 * <p>Tests that need it fail, never skip, when it is missing: the test command installs it.
 */
public final class Xmlsec1 {
    private static final String ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion:Assertion";
    private static final String RESPONSE = "urn:oasis:names:tc:SAML:2.0:protocol:Response";

    private Xmlsec1() {
    }

    /**
     * Fills in every {@code Signature} template of {@code templateXml} (an empty {@code ds:Signature} with
     * {@code SignedInfo}, digest and signature values blank) with {@code idp}'s key, as
     * {@code xmlsec1 --sign --privkey-pem key,cert --id-attr:ID …Assertion --id-attr:ID …Response} does.
     */
    public static String sign(String templateXml, TestSamlIdp idp) {
        return sign(templateXml, idp, "xmlsec1");
    }

    /** As {@link #sign(String, TestSamlIdp)}, with another executable: shows how a missing one fails. */
    static String sign(String templateXml, TestSamlIdp idp, String executable) {
        Path dir = tempDir();
        try {
            Path key = write(dir, "key.pem", idp.privateKeyPem());
            Path cert = write(dir, "cert.pem", idp.certificatePem());
            Path in = write(dir, "template.xml", templateXml);
            Path out = dir.resolve("signed.xml");
            run(executable, List.of("--sign", "--privkey-pem", key + "," + cert, "--id-attr:ID", ASSERTION,
                    "--id-attr:ID", RESPONSE, "--output", out.toString(), in.toString()));
            return Files.readString(out, UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * Whether {@code xmlsec1 --verify} accepts the first signature of {@code xml} with {@code idp}'s certificate as
     * the only trusted key.
     */
    public static boolean verifies(String xml, TestSamlIdp idp) {
        Path dir = tempDir();
        try {
            Path cert = write(dir, "cert.pem", idp.certificatePem());
            Path in = write(dir, "signed.xml", xml);
            return run("xmlsec1", List.of("--verify", "--pubkey-cert-pem", cert.toString(), "--id-attr:ID", ASSERTION,
                    "--id-attr:ID", RESPONSE, in.toString()), /* check= */ false) == 0;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void run(String executable, List<String> arguments) {
        run(executable, arguments, /* check= */ true);
    }

    private static int run(String executable, List<String> arguments, boolean check) {
        var command = new ArrayList<String>();
        command.add(executable);
        command.addAll(arguments);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(executable + " is not installed (Debian: apt-get install -y xmlsec1); the SAML"
                    + " interop tests need it: " + e.getMessage(), e);
        }
        try {
            String output = new String(process.getInputStream().readAllBytes(), UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("xmlsec1 did not finish: " + command);
            }
            if (check && process.exitValue() != 0) {
                throw new AssertionError("xmlsec1 failed (" + process.exitValue() + "): " + command + "\n" + output);
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("xmlsec1-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path dir, String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, UTF_8);
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
