package org.opensts.protocol.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine-readable models and protocol vectors under {@code ${opensts.shared.dir}/spec/botocore} (see
 * {@code spec/README.md}). Every accessor first assumes the folder is there, so a checkout without
 * {@code ../shared} skips the tests that need it instead of failing them.
 */
public final class SharedSpec {
    private static final String PROPERTY = "opensts.shared.dir";

    private SharedSpec() {
    }

    /** The STS model, {@code data/sts/2011-06-15/service-2.json}. */
    public static ServiceModel stsModel() {
        return ServiceModel.of(read("data", "sts", "2011-06-15", "service-2.json"));
    }

    /** The IAM model, {@code data/iam/2010-05-08/service-2.json}. */
    public static ServiceModel iamModel() {
        return ServiceModel.of(read("data", "iam", "2010-05-08", "service-2.json"));
    }

    /** The awsQuery request vectors, {@code protocol-tests/input/query.json}: one suite per operation. */
    public static List<Object> inputProtocolTests() {
        return Json.array(read("protocol-tests", "input", "query.json"));
    }

    /** The awsQuery response and error vectors, {@code protocol-tests/output/query.json}. */
    public static List<Object> outputProtocolTests() {
        return Json.array(read("protocol-tests", "output", "query.json"));
    }

    /** Skips the calling test, with the reason, unless the botocore folder of the shared spec is there. */
    public static void assumePresent() {
        String shared = System.getProperty(PROPERTY);
        Assumptions.assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "spec", "botocore")),
                "Service models not found: set -D" + PROPERTY + " to the shared folder (is ../shared absent?)");
    }

    private static Object read(String first, String... more) {
        assumePresent();
        Path file = Path.of(System.getProperty(PROPERTY), "spec", "botocore").resolve(Path.of(first, more));
        try {
            return Json.parse(Files.readString(file, UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
