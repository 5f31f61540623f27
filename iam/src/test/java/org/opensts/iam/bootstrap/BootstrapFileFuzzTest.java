package org.opensts.iam.bootstrap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.opensts.iam.IamService;
import org.opensts.iam.TestStores;

/**
 * The bootstrap file as {@code opensts serve --bootstrap} reads it ({@link BootstrapFile#read}) and applies it
 * ({@link Bootstrap#apply}) to a real (in-memory) store, against any text.
 *
 * <p>Invariants: reading throws nothing but {@link IOException}; applying throws nothing but {@link BootstrapException}
 * with a 4xx code (IAM's error for the entity at fault); and the secret access key of a key the file gives is in no
 * message and no {@code toString()}. Seeds in
 * {@code BootstrapFileFuzzTestInputs/readAndApply_anyFile_isAnIoErrorAClientErrorOrApplied}, several holding
 * {@value #SECRET}.
 */
class BootstrapFileFuzzTest {
    private static final String SECRET = "FuzzSecretAccessKeyThatNoMessageMayShow0";
    /** The shortest secret looked for in messages and toString; AWS's secret access keys have 40 characters. */
    private static final int MIN_CHECKED_SECRET_LENGTH = 16;

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    /** One store for every input: applying a file is idempotent, and a store per input would be slow to fuzz. */
    private static final Bootstrap BOOTSTRAP = new Bootstrap(new IamService(
            TestStores.inMemory(TestStores.newMasterKey(), CLOCK), CLOCK, new SecureRandom()));
    private static final Path FILE = temporaryFile();

    @FuzzTest(maxDuration = "10s")
    void readAndApply_anyFile_isAnIoErrorAClientErrorOrApplied(FuzzedDataProvider data) throws IOException {
        byte[] bytes = data.consumeRemainingAsBytes();
        Files.write(FILE, bytes);
        BootstrapFile file;
        try {
            file = BootstrapFile.read(FILE);
        } catch (IOException e) {
            assertThat(e.getMessage()).doesNotContain(SECRET);
            return;
        }
        List<BootstrapFile.AccessKeySpec> keys = file.accounts().stream()
                .flatMap(account -> account.users().stream())
                .flatMap(user -> user.accessKeys().stream())
                .toList();
        // The secrets nothing may show: those read as secrets and nowhere else in the file. The fuzzer may pull a
        // secretAccessKey line into a quoted string (a trust policy, an account id) or its text into another field
        // (an access key id), where the same text is that field's content, which toString and errors show as IAM's
        // errors show values.
        String text = new String(bytes, UTF_8);
        List<String> secrets = keys.stream()
                .flatMap(key -> key.secretAccessKey().stream())
                // A text this short ("f") stands in messages by chance ("failed"), not because it was echoed.
                .filter(secret -> secret.length() >= MIN_CHECKED_SECRET_LENGTH)
                .filter(secret -> occurrences(text, secret) == keys.stream()
                        .filter(key -> key.secretAccessKey().filter(secret::equals).isPresent()).count())
                .distinct()
                .toList();
        keys.forEach(key -> secrets.forEach(secret -> assertThat(key.toString()).doesNotContain(secret)));
        try {
            BOOTSTRAP.apply(file).forEach(generated -> assertThat(generated.toString()).doesNotContain(SECRET));
        } catch (BootstrapException e) {
            assertThat(e.errorCode().httpStatus()).as(e.toString()).isLessThan(500);
            secrets.forEach(secret -> assertThat(e.getMessage()).doesNotContain(secret));
        }
    }

    /** How many times {@code part} (not empty) occurs in {@code text}, overlapping ones included. */
    private static long occurrences(String text, String part) {
        long count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static Path temporaryFile() {
        try {
            Path file = Files.createTempFile("bootstrap-fuzz", ".yaml");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
