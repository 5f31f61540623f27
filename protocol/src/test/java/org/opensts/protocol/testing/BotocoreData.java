package org.opensts.protocol.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * AWS's machine-readable STS and IAM models and the awsQuery protocol vectors, as the AWS SDK for Python ships them,
 * under {@code testdata/botocore} (see {@code testdata/README.md}). A file that is missing fails the caller.
 */
public final class BotocoreData {

    private BotocoreData() {
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

    private static Object read(String... path) {
        Path file = TestData.file("botocore", path);
        try {
            return Json.parse(Files.readString(file, UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
