package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The audit events in a node's data directory, as {@code opensts serve} writes them: one JSON object per line in
 * {@code audit.log}, rolled over into {@code audit.YYYY-MM-DD.N.log.gz} (or, while being compressed,
 * {@code audit.YYYY-MM-DD.N.log}).
 *
 * <h2>Design</h2>
 * Files are read newest first: {@code audit.log}, then the rolled files by day and counter, descending. A position is a
 * file and a byte offset into its (uncompressed) text; a page holds the events that start before the position. The
 * live file is read backwards from the position in 64 KiB chunks, so the newest page costs what it returns. A
 * compressed file cannot be read backwards: it is read forwards up to the position, keeping only the last
 * {@code maxResults} matches, so memory stays bounded whatever the file's size, at the price of decompressing the
 * file's head again for each page of it. A call examines at most {@link #SCAN_BUDGET_BYTES} bytes of files it starts;
 * past that it returns what it found with a token to go on from. A line longer than {@link #MAX_LINE_BYTES} is skipped
 * unread, and a line that is not a JSON object (a line being written) is skipped.
 *
 * <p>The next token is base64url JSON of the file's name, the offset, and for {@code audit.log} the file's identity: if
 * the live file rolled over between two pages, the next page continues in the newest rolled file, which holds what
 * {@code audit.log} held. Tokens name files, never paths: a token naming anything but an audit file is refused.
 */
final class AuditLogFiles implements AuditEventSource {
    static final String LIVE = "audit.log";
    /** The bytes one call examines in the files it starts, before it returns a page with a token to go on. */
    static final long SCAN_BUDGET_BYTES = 32L * 1024 * 1024;
    static final int MAX_LINE_BYTES = 1024 * 1024;
    private static final int CHUNK = 64 * 1024;
    private static final Pattern ROLLED = Pattern.compile("audit\\.(\\d{4}-\\d{2}-\\d{2})\\.(\\d{1,9})\\.log(\\.gz)?");

    private final Path directory;
    private final long budget;

    AuditLogFiles(Path directory) {
        this(directory, SCAN_BUDGET_BYTES);
    }

    /** With a scanning budget per call other than {@link #SCAN_BUDGET_BYTES} (tests use a small one). */
    AuditLogFiles(Path directory, long budget) {
        this.directory = Objects.requireNonNull(directory, "directory");
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be positive");
        }
        this.budget = budget;
    }

    @Override
    public Page newestFirst(Predicate<ObjectNode> filter, int maxResults, Optional<String> nextToken,
            Optional<Instant> since) {
        List<String> files = files();
        if (since.isPresent()) {
            // A rolled file holds events written on its day (UTC), and an event is written after its time: a file of
            // a day before the start's day holds nothing at or after the start.
            LocalDate startDay = LocalDate.ofInstant(since.get(), ZoneOffset.UTC);
            files.removeIf(name -> rolledDay(name).map(day -> day.isBefore(startDay)).orElse(false));
        }
        int index = 0;
        long offset = Long.MAX_VALUE;
        if (nextToken.isPresent()) {
            Cursor cursor = Cursor.decode(nextToken.get());
            String name = cursor.file();
            if (name.equals(LIVE) && !cursor.identity().equals(identity(directory.resolve(LIVE)))) {
                // The live file rolled over since: what it held is now the newest rolled file.
                name = files.stream().filter(f -> !f.equals(LIVE)).findFirst().orElse(LIVE);
            }
            index = files.indexOf(name);
            if (index < 0 && !name.endsWith(".gz")) {
                // Compressed since: the same text, so the same (uncompressed) offset, in its .gz.
                index = files.indexOf(name + ".gz");
            } else if (index < 0 && !name.equals(LIVE)) {
                // Still being compressed: the plain file is whole until it goes.
                index = files.indexOf(name.substring(0, name.length() - 3));
            }
            if (index < 0) {
                return new Page(List.of(), Optional.empty()); // deleted by retention since
            }
            offset = cursor.offset();
        }
        var found = new ArrayList<ObjectNode>();
        long scanned = 0;
        for (; index < files.size(); index++, offset = Long.MAX_VALUE) {
            if (scanned >= budget) {
                return new Page(found, Optional.of(token(files.get(index), offset)));
            }
            String name = files.get(index);
            Path file = directory.resolve(name);
            Scan scan;
            try {
                try {
                    scan = name.endsWith(".gz")
                            ? scanForwards(file, offset, filter, maxResults - found.size(), budget - scanned)
                            : scanBackwards(file, offset, filter, maxResults - found.size(), budget - scanned);
                } catch (NoSuchFileException e) {
                    if (name.equals(LIVE) || name.endsWith(".gz")) {
                        throw e;
                    }
                    // Compressed since the listing: its events are in its .gz, at the same offsets.
                    name = name + ".gz";
                    file = directory.resolve(name);
                    scan = scanForwards(file, offset, filter, maxResults - found.size(), budget - scanned);
                }
            } catch (NoSuchFileException | EOFException e) {
                continue; // deleted by retention, rolled while we looked, or compressed so far to no event
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the audit file " + name, e);
            }
            found.addAll(scan.events());
            scanned += scan.scanned();
            if (scan.resumeAt() > 0) {
                // The page is full, or the budget spent, with more of this file to read.
                return new Page(found, Optional.of(token(name, scan.resumeAt())));
            }
            if (found.size() >= maxResults) {
                return new Page(found, index + 1 < files.size()
                        ? Optional.of(token(files.get(index + 1), Long.MAX_VALUE)) : Optional.empty());
            }
        }
        return new Page(found, Optional.empty());
    }

    /** What one file gave: matches newest first, where the next page resumes in it (0: at its start), bytes read. */
    private record Scan(List<ObjectNode> events, long resumeAt, long scanned) {
    }

    /** The day in a rolled file's name; none for the live file. */
    private static Optional<LocalDate> rolledDay(String name) {
        Matcher matcher = ROLLED.matcher(name);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(matcher.group(1)));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** The audit files, newest first. */
    List<String> files() {
        var rolled = new ArrayList<Matcher>();
        boolean live = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "audit.*")) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                Matcher matcher = ROLLED.matcher(name);
                if (name.equals(LIVE)) {
                    live = true;
                } else if (matcher.matches()) {
                    rolled.add(matcher);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the audit files", e);
        }
        rolled.sort(Comparator.comparing((Matcher m) -> m.group(1)).thenComparing(m -> Long.parseLong(m.group(2)))
                .thenComparing(m -> m.group(3) == null ? 1 : 0).reversed());
        var files = new ArrayList<String>();
        if (live) {
            files.add(LIVE);
        }
        for (Matcher matcher : rolled) {
            String name = matcher.group();
            // A file being compressed shows up twice for a moment: the plain one is whole until it goes.
            if (!files.contains(name + ".gz") && !(name.endsWith(".gz") && files.contains(name.substring(0,
                    name.length() - 3)))) {
                files.add(name);
            }
        }
        return files;
    }

    /**
     * Reads a plain file backwards from {@code end} (exclusive; past the file's length means its end), until it has
     * {@code wanted} matches or has read {@code budget} bytes.
     */
    private static Scan scanBackwards(Path file, long end, Predicate<ObjectNode> filter, int wanted, long budget)
            throws IOException {
        var events = new ArrayList<ObjectNode>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = Math.min(end, channel.size());
            long scanned = 0;
            byte[] tail = new byte[0];
            boolean overlong = false;
            var buffer = ByteBuffer.allocate(CHUNK);
            long lineEndInFile = position; // where the line being gathered ends: a page resumes there
            while (position > 0) {
                if (scanned >= budget) {
                    return new Scan(events, lineEndInFile, scanned);
                }
                int n = (int) Math.min(CHUNK, position);
                position -= n;
                buffer.clear().limit(n);
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, position + buffer.position()) < 0) {
                        throw new IOException("the file shrank while it was read");
                    }
                }
                scanned += n;
                byte[] chunk = buffer.array();
                int lineEnd = n;
                for (int i = n - 1; i >= 0; i--) {
                    if (chunk[i] != '\n') {
                        continue;
                    }
                    if (!overlong && lineEnd - (i + 1) + tail.length <= MAX_LINE_BYTES) {
                        accept(concat(chunk, i + 1, lineEnd, tail), filter, events);
                    }
                    tail = new byte[0];
                    overlong = false;
                    lineEnd = i;
                    lineEndInFile = position + i;
                    if (events.size() >= wanted) {
                        return new Scan(events, position + i + 1, scanned);
                    }
                }
                if (!overlong) {
                    if (lineEnd + tail.length > MAX_LINE_BYTES) {
                        overlong = true;
                        tail = new byte[0];
                    } else {
                        tail = concat(chunk, 0, lineEnd, tail);
                    }
                }
            }
            if (!overlong) {
                accept(tail, filter, events);
            }
            return new Scan(events, 0, scanned);
        }
    }

    /**
     * Reads a file (gzip or plain) forwards up to {@code end}, keeping the last {@code wanted} matches: the newest of
     * those that start before {@code end}. Only the last {@code budget} bytes before {@code end} are parsed (the lines
     * that start in that window); what comes before is decompressed and passed over, and the next page resumes at the
     * window's start, so a call parses at most its budget however large the file, even when it finds nothing.
     */
    private static Scan scanForwards(Path file, long end, Predicate<ObjectNode> filter, int wanted, long budget)
            throws IOException {
        Deque<ObjectNode> last = new ArrayDeque<>();
        Deque<Long> starts = new ArrayDeque<>();
        long offset = 0;
        long windowFrom = end == Long.MAX_VALUE ? -1 : Math.max(0, end - budget);
        long windowStart = -1; // the first line start at or after windowFrom: where the parsed lines begin
        long startBeforeWindow = 0; // the last line start before windowFrom
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, CHUNK)
                        : raw) {
            var line = new ByteArrayOutputStream();
            boolean overlong = false;
            long lineStart = 0;
            byte[] buffer = new byte[CHUNK];
            int read;
            reading:
            while ((read = readSome(in, buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    if (offset >= end) {
                        break reading;
                    }
                    offset++;
                    byte b = buffer[i];
                    boolean parsing = lineStart >= windowFrom;
                    if (b != '\n') {
                        if (parsing && !overlong) {
                            if (line.size() >= MAX_LINE_BYTES) {
                                overlong = true;
                                line.reset();
                            } else {
                                line.write(b);
                            }
                        }
                        continue;
                    }
                    if (parsing && windowStart < 0) {
                        windowStart = lineStart;
                    }
                    if (parsing && !overlong) {
                        var one = new ArrayList<ObjectNode>(1);
                        accept(line.toByteArray(), filter, one);
                        if (!one.isEmpty()) {
                            last.addLast(one.get(0));
                            starts.addLast(lineStart);
                            if (last.size() > wanted) {
                                last.removeFirst();
                                starts.removeFirst();
                            }
                        }
                    }
                    line.reset();
                    overlong = false;
                    lineStart = offset;
                    if (lineStart < windowFrom) {
                        startBeforeWindow = lineStart;
                    }
                }
            }
        }
        if (windowFrom < 0) {
            // No end known (the file's first page): the window is the last budget bytes of the whole file.
            return offset > budget ? scanForwards(file, offset, filter, wanted, budget)
                    : collect(last, starts, wanted, 0, offset);
        }
        // No line starts in the window (one long line spans it): the next page resumes where that line starts.
        long resume = windowStart >= 0 ? windowStart : startBeforeWindow;
        return collect(last, starts, wanted, resume, Math.min(offset, end) - windowFrom);
    }

    /** The kept matches newest first, resuming before the oldest kept if the page is full, else at the window. */
    private static Scan collect(Deque<ObjectNode> last, Deque<Long> starts, int wanted, long windowStart,
            long scanned) {
        var events = new ArrayList<ObjectNode>(last.size());
        last.descendingIterator().forEachRemaining(events::add);
        // When the page is full, older matches may remain before the oldest one kept.
        long resumeAt = last.size() >= wanted && !starts.isEmpty() ? starts.peekFirst() : windowStart;
        return new Scan(events, resumeAt, Math.max(scanned, 1));
    }

    /** Reads what there is; a compressed file still being written ends where its data ends so far. */
    private static int readSome(InputStream in, byte[] buffer) throws IOException {
        try {
            return in.read(buffer);
        } catch (EOFException e) {
            return -1;
        }
    }

    private static void accept(byte[] line, Predicate<ObjectNode> filter, List<ObjectNode> into) {
        if (line.length < 2) {
            return;
        }
        JsonNode event;
        try {
            event = ConsoleJson.MAPPER.readTree(line);
        } catch (IOException e) {
            return;
        }
        if (event instanceof ObjectNode object && filter.test(object)) {
            into.add(object);
        }
    }

    private static byte[] concat(byte[] chunk, int from, int to, byte[] tail) {
        byte[] joined = new byte[to - from + tail.length];
        System.arraycopy(chunk, from, joined, 0, to - from);
        System.arraycopy(tail, 0, joined, to - from, tail.length);
        return joined;
    }

    private String token(String file, long offset) {
        var cursor = ConsoleJson.MAPPER.createObjectNode();
        cursor.put("f", file);
        cursor.put("o", offset);
        if (file.equals(LIVE)) {
            cursor.put("k", identity(directory.resolve(LIVE)));
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.toString().getBytes(UTF_8));
    }

    /** What tells one live file from the next after a roll-over: its file key (inode) and creation time. */
    private static String identity(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return String.valueOf(attributes.fileKey()) + "@" + attributes.creationTime().toMillis();
        } catch (IOException e) {
            return "";
        }
    }

    /** A decoded next token. */
    private record Cursor(String file, long offset, String identity) {
        static Cursor decode(String token) {
            try {
                if (token.length() > 1024) {
                    throw new IllegalArgumentException("too long");
                }
                JsonNode node = ConsoleJson.MAPPER.readTree(Base64.getUrlDecoder().decode(token));
                String file = node.path("f").asText();
                long offset = node.path("o").asLong(-1);
                if (!(file.equals(LIVE) || ROLLED.matcher(file).matches()) || offset < 0
                        || !node.path("o").isIntegralNumber()) {
                    throw new IllegalArgumentException("not an audit position");
                }
                return new Cursor(file, offset, node.path("k").asText());
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("The NextToken is not valid.", e);
            }
        }
    }
}
