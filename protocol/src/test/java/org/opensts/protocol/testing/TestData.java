package org.opensts.protocol.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's {@code testdata/} directory (its {@code README.md} says where each set comes from), found the same way
 * under Maven and in an IDE: the surefire system property {@value #PROPERTY} set by the parent pom, else the nearest
 * {@code testdata/} beside a {@code pom.xml} above the working directory.
 *
 * <p>The data are part of the checkout, so a file that cannot be found fails the test that wanted it, naming the file;
 * nothing is skipped.
 */
public final class TestData {
    /** The system property naming the {@code testdata/} directory. */
    public static final String PROPERTY = "opensts.testdata.dir";

    private TestData() {
    }

    /**
     * Returns an existing file or directory under {@code testdata/}, e.g. {@code file("botocore", "NOTICE")}.
     *
     * @throws AssertionError if {@code testdata/} or the file is not there
     */
    public static Path file(String first, String... more) {
        Path file = root().resolve(Path.of(first, more));
        if (!Files.exists(file)) {
            throw new AssertionError("Test data missing: " + file + " is not in the checkout's testdata/");
        }
        return file;
    }

    /**
     * Returns the {@code testdata/} directory.
     *
     * @throws AssertionError if neither the system property nor the working directory leads to it
     */
    public static Path root() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured).toAbsolutePath();
        }
        // The parent pom derives the property from the directory mvn ran in, so it misses when mvn runs inside a
        // module; an IDE sets none. Either way the working directory is the module's or the project's.
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("testdata")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir.resolve("testdata");
            }
        }
        throw new AssertionError("Test data not found: -D" + PROPERTY + " is " + configured
                + " and no directory from " + start + " up holds testdata/ beside a pom.xml");
    }
}
