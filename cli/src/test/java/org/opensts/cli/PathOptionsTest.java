package org.opensts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PathOptionsTest {
    private final PathOptions options = new PathOptions()
            .add("--bootstrap", Path.of("/etc/opensts/roles.yaml"), PathOptions.Use.READ)
            .add("--master-key-file", Path.of("/keys/master-key.json"), PathOptions.Use.READ_OR_CREATE)
            .add("--tls-cert", null, PathOptions.Use.READ)
            .add("--data-dir", Path.of("/var/lib/opensts"), PathOptions.Use.DIRECTORY);

    @Test
    void describe_failureOnAnOptionsFile_namesTheOptionThePathAndTheReason() {
        assertThat(options.describe(new NoSuchFileException("/etc/opensts/roles.yaml")))
                .isEqualTo("--bootstrap: cannot read /etc/opensts/roles.yaml (No such file or directory)");
    }

    @Test
    void describe_failureInsideTheDataDirectory_namesTheDataDirectoryAndTheFile() {
        assertThat(options.describe(new AccessDeniedException("/var/lib/opensts/audit.log")))
                .isEqualTo("--data-dir: cannot use /var/lib/opensts (Permission denied: /var/lib/opensts/audit.log)");
    }

    @Test
    void describe_failureOnATemporaryFileBesideTheMasterKey_namesTheKeysDirectory_notTheTemporaryFile() {
        assertThat(options.describe(new NoSuchFileException("/keys/.opensts1234.tmp")))
                .isEqualTo("--master-key-file: cannot read or create /keys/master-key.json (No such file or "
                        + "directory: /keys)");
    }

    @Test
    void describe_failureWrappedWithoutWordsOfItsOwn_isDescribedAsItsCause() {
        assertThat(options.describe(new IOException(new NoSuchFileException("/etc/opensts/roles.yaml"))))
                .startsWith("--bootstrap: cannot read /etc/opensts/roles.yaml");
    }

    @Test
    void describe_failureThatSaysMoreThanItsCause_keepsItsMessage() {
        var failure = new IOException("The master key in /keys/master-key.json is not a valid key",
                new NoSuchFileException("/keys/master-key.json"));

        assertThat(options.describe(failure)).isEqualTo(failure.getMessage());
    }

    @Test
    void describe_failureOnAPathOfNoOption_isThePathAndTheReason() {
        assertThat(options.describe(new AccessDeniedException("/elsewhere/file")))
                .isEqualTo("/elsewhere/file: Permission denied");
    }
}
