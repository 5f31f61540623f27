package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading a data directory's audit files back, newest first, a page at a time. */
class AuditLogFilesTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final Predicate<ObjectNode> ALL = event -> true;

    @TempDir
    Path dir;

    /** Event {@code n}: its time is T0 + n seconds, so a larger n is newer. */
    private static String event(int n) {
        return "{\"eventTime\":\"" + T0.plusSeconds(n) + "\",\"eventName\":\"E" + n + "\",\"n\":" + n + "}\n";
    }

    private static String events(int fromInclusive, int toExclusive) {
        var text = new StringBuilder();
        IntStream.range(fromInclusive, toExclusive).forEach(n -> text.append(event(n)));
        return text.toString();
    }

    private void plain(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text, UTF_8);
    }

    private void gzip(String name, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(name)))) {
            out.write(text.getBytes(UTF_8));
        }
    }

    /** The ns of every event, paging with {@code pageSize} until there is no next token. */
    private List<Integer> readAll(AuditLogFiles files, Predicate<ObjectNode> filter, int pageSize) {
        return readAll(files, filter, pageSize, Optional.empty());
    }

    private List<Integer> readAll(AuditLogFiles files, Predicate<ObjectNode> filter, int pageSize,
            Optional<Instant> since) {
        var ns = new ArrayList<Integer>();
        Optional<String> token = Optional.empty();
        for (int pages = 0; pages < 10_000; pages++) {
            AuditEventSource.Page page = files.newestFirst(filter, pageSize, token, since);
            assertThat(page.events()).hasSizeLessThanOrEqualTo(pageSize);
            page.events().forEach(event -> ns.add(event.get("n").asInt()));
            token = page.nextToken();
            if (token.isEmpty()) {
                return ns;
            }
        }
        throw new AssertionError("paging did not end");
    }

    private void threeFiles() throws IOException {
        gzip("audit.2026-11-30.0.log.gz", events(0, 7));
        gzip("audit.2026-11-30.1.log.gz", events(7, 12));
        plain("audit.2026-12-01.0.log", events(12, 20)); // rolled, not yet compressed
        plain("audit.log", events(20, 33));
    }

    @Test
    void files_areTheLiveOneThenTheRolledOnesNewestFirst() throws IOException {
        threeFiles();
        plain("audit.2026-11-30.10.log.gz", "");
        plain("not-audit.log", "");
        plain("audit.json", "");

        assertThat(new AuditLogFiles(dir).files()).containsExactly("audit.log", "audit.2026-12-01.0.log",
                "audit.2026-11-30.10.log.gz", "audit.2026-11-30.1.log.gz", "audit.2026-11-30.0.log.gz");
    }

    @Test
    void files_beingCompressed_isReadFromThePlainFileWhileItLasts() throws IOException {
        plain("audit.2026-11-30.0.log", events(0, 3));
        Files.write(dir.resolve("audit.2026-11-30.0.log.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0});

        assertThat(new AuditLogFiles(dir).files()).containsExactly("audit.2026-11-30.0.log");
        assertThat(readAll(new AuditLogFiles(dir), ALL, 10)).containsExactly(2, 1, 0);
    }

    @Test
    void newestFirst_compressedFileCutShort_givesWhatItHolds() throws IOException {
        gzip("audit.2026-11-30.0.log.gz", events(0, 50));
        byte[] whole = Files.readAllBytes(dir.resolve("audit.2026-11-30.0.log.gz"));
        Files.write(dir.resolve("audit.2026-11-30.0.log.gz"), java.util.Arrays.copyOf(whole, whole.length - 20));

        assertThat(readAll(new AuditLogFiles(dir), ALL, 100)).isNotEmpty().isSortedAccordingTo((a, b) -> b - a);
    }

    static IntStream pageSizes() {
        return IntStream.rangeClosed(1, 35);
    }

    @ParameterizedTest(name = "pages of {0}")
    @MethodSource("pageSizes")
    void newestFirst_pagingThroughEveryFile_givesEachEventOnceNewestFirst(int pageSize) throws IOException {
        threeFiles();

        List<Integer> ns = readAll(new AuditLogFiles(dir), ALL, pageSize);

        assertThat(ns).containsExactlyElementsOf(IntStream.range(0, 33).map(n -> 32 - n).boxed().toList());
    }

    @Test
    void newestFirst_filter_keepsOnlyMatchingEventsAcrossPages() throws IOException {
        threeFiles();

        List<Integer> ns = readAll(new AuditLogFiles(dir), event -> event.get("n").asInt() % 5 == 0, 2);

        assertThat(ns).containsExactly(30, 25, 20, 15, 10, 5, 0);
    }

    @Test
    void newestFirst_lineBeingWrittenAndGarbage_areSkipped() throws IOException {
        plain("audit.log", event(1) + "not json\n[1,2]\n\n" + event(2) + "{\"eventTime\":\"2026-12-01T00:00:0");

        assertThat(readAll(new AuditLogFiles(dir), ALL, 10)).containsExactly(2, 1);
    }

    @Test
    void newestFirst_lineLongerThanTheLimit_isSkippedUnread() throws IOException {
        String huge = "{\"pad\":\"" + "x".repeat(AuditLogFiles.MAX_LINE_BYTES) + "\",\"n\":99}\n";
        plain("audit.log", event(1) + huge + event(2));
        gzip("audit.2026-11-30.0.log.gz", event(0) + huge);

        assertThat(readAll(new AuditLogFiles(dir), ALL, 10)).containsExactly(2, 1, 0);
    }

    @Test
    void newestFirst_noFiles_isEmptyWithoutToken() {
        AuditEventSource.Page page = new AuditLogFiles(dir.resolve("missing")).newestFirst(ALL, 10, Optional.empty());

        assertThat(page.events()).isEmpty();
        assertThat(page.nextToken()).isEmpty();
    }

    @Test
    void newestFirst_liveFileRolledOverBetweenPages_continuesInTheRolledFile() throws IOException {
        plain("audit.log", events(0, 10));
        var files = new AuditLogFiles(dir);
        AuditEventSource.Page first = files.newestFirst(ALL, 4, Optional.empty());
        // The writer rolls audit.log over as it does: renames it, writes newer events to a new audit.log, compresses
        // the rolled file and deletes its plain text. (Deleting audit.log before creating the new one, as this test
        // once did, let the file system hand the new file the old one's inode within the same millisecond now and
        // then: the same identity, which the writer's order never produces.)
        Files.move(dir.resolve("audit.log"), dir.resolve("audit.2026-12-01.0.log"));
        plain("audit.log", events(10, 12));
        gzip("audit.2026-12-01.0.log.gz", events(0, 10));
        Files.delete(dir.resolve("audit.2026-12-01.0.log"));

        AuditEventSource.Page second = files.newestFirst(ALL, 4, first.nextToken());

        assertThat(first.events()).extracting(e -> e.get("n").asInt()).containsExactly(9, 8, 7, 6);
        assertThat(second.events()).extracting(e -> e.get("n").asInt()).containsExactly(5, 4, 3, 2);
    }

    @ParameterizedTest(name = "page size {0}")
    @MethodSource("pageSizes")
    void newestFirst_compressedFileLargerThanTheBudget_isReadInWindowsWithEveryEventOnce(int pageSize)
            throws IOException {
        gzip("audit.2026-11-30.0.log.gz", events(0, 300)); // about 20 KB, the budget 1 KB
        plain("audit.log", events(300, 310));

        assertThat(readAll(new AuditLogFiles(dir, 1024), ALL, pageSize))
                .containsExactlyElementsOf(IntStream.range(0, 310).map(n -> 309 - n).boxed().toList());
    }

    @Test
    void newestFirst_budgetSpentInACompressedFileWithoutAMatch_returnsNoEventsAndAToken() throws IOException {
        gzip("audit.2026-11-30.0.log.gz", events(0, 300));
        var files = new AuditLogFiles(dir, 1024);
        Predicate<ObjectNode> oldest = event -> event.get("n").asInt() == 0;

        AuditEventSource.Page first = files.newestFirst(oldest, 10, Optional.empty());

        assertThat(first.events()).isEmpty();
        assertThat(first.nextToken()).isPresent();
        assertThat(readAll(files, oldest, 10)).containsExactly(0);
    }

    @Test
    void newestFirst_since_skipsRolledFilesOfDaysBeforeItsDay() throws IOException {
        // The day-before file's events claim later times: only skipping the file keeps them out.
        gzip("audit.2026-11-29.0.log.gz", events(100, 103));
        plain("audit.2026-11-29.1.log", events(103, 105));
        gzip("audit.2026-11-30.0.log.gz", events(0, 3));
        plain("audit.log", events(3, 5));

        assertThat(readAll(new AuditLogFiles(dir), ALL, 2, Optional.of(Instant.parse("2026-11-30T23:00:00Z"))))
                .containsExactly(4, 3, 2, 1, 0);
        assertThat(readAll(new AuditLogFiles(dir), ALL, 2)).containsExactly(4, 3, 2, 1, 0, 104, 103, 102, 101, 100);
    }

    @Test
    void newestFirst_rolledFileCompressedBetweenPages_continuesInItsCompressedFile() throws IOException {
        plain("audit.2026-12-01.0.log", events(0, 10)); // rolled, not yet compressed
        var files = new AuditLogFiles(dir);
        AuditEventSource.Page first = files.newestFirst(ALL, 4, Optional.empty());
        // The writer compresses it and deletes the plain file.
        gzip("audit.2026-12-01.0.log.gz", events(0, 10));
        Files.delete(dir.resolve("audit.2026-12-01.0.log"));

        AuditEventSource.Page second = files.newestFirst(ALL, 4, first.nextToken());
        AuditEventSource.Page third = files.newestFirst(ALL, 4, second.nextToken());

        assertThat(first.events()).extracting(e -> e.get("n").asInt()).containsExactly(9, 8, 7, 6);
        assertThat(second.events()).extracting(e -> e.get("n").asInt()).containsExactly(5, 4, 3, 2);
        assertThat(third.events()).extracting(e -> e.get("n").asInt()).containsExactly(1, 0);
        assertThat(third.nextToken()).isEmpty();
    }

    static List<String> forgedTokens() {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return List.of("not base64 !", encoder.encodeToString("[]".getBytes(UTF_8)),
                encoder.encodeToString("{\"f\":\"../master-key.json\",\"o\":10}".getBytes(UTF_8)),
                encoder.encodeToString("{\"f\":\"/etc/passwd\",\"o\":10}".getBytes(UTF_8)),
                encoder.encodeToString("{\"f\":\"audit.log\",\"o\":-1}".getBytes(UTF_8)),
                encoder.encodeToString("{\"f\":\"audit.log\",\"o\":\"10\"}".getBytes(UTF_8)),
                "A".repeat(2000));
    }

    @Test
    void newestFirst_tokenNotGivenByTheSource_isRefused() throws IOException {
        threeFiles();
        var files = new AuditLogFiles(dir);

        for (String token : forgedTokens()) {
            assertThatThrownBy(() -> files.newestFirst(ALL, 10, Optional.of(token))).as(token)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
