package org.opensts.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TestDataTest {

    @Test
    void root_isTheTestDataDirectoryOfThisCheckout() {
        Path root = TestData.root();

        assertThat(root.getFileName()).hasToString("testdata");
        assertThat(root.resolveSibling("pom.xml")).isRegularFile();
    }

    @Test
    void gitAttributes_keepEveryFileByteForByte() throws IOException {
        // Signatures and hashes in the vectors cover exact bytes: no checkout may convert line endings.
        assertThat(Files.readAllLines(TestData.file(".gitattributes"))).contains("* -text");
    }

    @Test
    void root_propertyNamingNoDirectory_isFoundAboveTheWorkingDirectory() {
        Path expected = TestData.root();
        String configured = System.getProperty(TestData.PROPERTY);
        System.setProperty(TestData.PROPERTY, expected.resolve("no-such-directory").toString());
        try {
            assertThat(TestData.root()).isEqualTo(expected);
        } finally {
            if (configured == null) {
                System.clearProperty(TestData.PROPERTY);
            } else {
                System.setProperty(TestData.PROPERTY, configured);
            }
        }
    }

    @Test
    void file_missing_failsNamingTheFile() {
        assertThatThrownBy(() -> TestData.file("botocore", "no-such-model.json"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(Path.of("testdata", "botocore", "no-such-model.json").toString());
    }
}
