package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's JavaScript unit tests ({@code src/test/js/*.test.mjs}: its SigV4 signer against the AWS signing test
 * suite, and its pure helpers), run with Node's own test runner so that they run with every build. The console is
 * plain ES modules with no build step, so Node runs the very files the jar serves: copied, with the tests, into a
 * directory whose {@code package.json} says they are modules, which every Node from Debian's 18 on understands.
 */
class ConsoleScriptsTest {
    private static final Path SCRIPTS = Path.of("src", "test", "js");
    private static final Path CONSOLE = Path.of("src", "main", "resources", "org", "opensts", "server", "console");
    private static final Pattern PASSED = Pattern.compile("^# pass (\\d+)$", Pattern.MULTILINE);
    private static final Pattern FAILED = Pattern.compile("^# fail (\\d+)$", Pattern.MULTILINE);

    /** Debian's Node (run-tests installs it), else the first {@code node} on the PATH. */
    private static String node() {
        if (Files.isExecutable(Path.of("/usr/bin/node"))) {
            return "/usr/bin/node";
        }
        return "node";
    }

    @TempDir
    Path staging;

    /** The repository's testdata/: as the parent pom names it, else the first one above the working directory. */
    private static Path testdata() {
        String property = System.getProperty("opensts.testdata.dir");
        if (property != null && Files.isDirectory(Path.of(property))) {
            return Path.of(property);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("testdata")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir.resolve("testdata");
            }
        }
        throw new IllegalStateException("no testdata/ directory above " + Path.of("").toAbsolutePath());
    }

    /** Copies {@code dir} to the same relative place under {@link #staging}. */
    private void stage(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.toList()) {
                Path target = staging.resolve(file.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    @Test
    void consoleScripts_passTheirNodeTests() throws IOException, InterruptedException {
        stage(CONSOLE);
        stage(SCRIPTS);
        Files.writeString(staging.resolve("package.json"), "{\"type\": \"module\"}\n", UTF_8);
        List<String> command = new ArrayList<>(List.of(node(), "--test", "--test-reporter=tap"));
        try (var files = Files.list(staging.resolve(SCRIPTS))) {
            files.filter(file -> file.getFileName().toString().endsWith(".test.mjs")).sorted()
                    .forEach(file -> command.add(staging.relativize(file).toString()));
        }
        assertThat(command).anyMatch(argument -> argument.endsWith("sigv4.test.mjs"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(staging.toFile()).redirectErrorStream(true);
        builder.environment().put("OPENSTS_TESTDATA_DIR", testdata().toAbsolutePath().toString());
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("node --test finished").isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(count(FAILED, output)).as(output).isZero();
        // The signing suite alone gives three tests per vector directory, of which there are more than thirty.
        assertThat(count(PASSED, output)).as(output).isGreaterThan(100);
    }

    private static int count(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        assertThat(matcher.find()).as("a '%s' line in:%n%s", pattern, output).isTrue();
        return Integer.parseInt(matcher.group(1));
    }
}
