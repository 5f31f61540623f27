package org.opensts.cli.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The on-disk cache of {@code opensts credential-process}: one file per request, holding the Version 1 JSON the command
 * prints and when it was obtained, served until {@link #REFRESH_AHEAD} before the credentials expire (half way through
 * a session shorter than twice that).
 *
 * <p>Why 15 minutes: the AWS CLI and the Python SDK treat process credentials with 15 minutes or less left as due for
 * refresh (and as due without fail at 10), and run the process again on every call until they get credentials with
 * more. Served closer to expiry, an entry would make each of their calls start this JVM for nothing. The AWS SDK for
 * Java v2 refreshes 15 seconds before expiry, so this margin suits it too. A session too short to ever have 15 minutes
 * left (AssumeRole allows 15) cannot satisfy those tools at all: they run the process on each call whatever it does,
 * and re-assuming each time would add an STS call to every one; so such an entry is served until half its lifetime has
 * passed, and each STS call pays for at least half a session.
 *
 * <p>Design: the directory is {@code $XDG_CACHE_HOME/opensts}, else {@code ~/.opensts/cache}, mode 700; entries and
 * lock files are mode 600. The key is a hash of everything that decides which credentials a request gets (see
 * {@link CredentialProcessCommand}), so two roles, sessions or source identities never share an entry. A refresh
 * holds an exclusive lock on the entry's lock file (and, since a JVM cannot hold two locks on one file, a lock in this
 * process too): a concurrent invocation waits for it, then reads the fresh entry instead of calling STS again. Entries
 * are written to a new file and renamed over the old one, so a reader sees a whole entry or none. Entries are opened
 * without following symbolic links, and the rename replaces a link planted in the entry's place rather than writing
 * through it. A directory that is a symbolic link or not the user's own is not used at all, and an entry that is not
 * the user's own, mode 600, is not read.
 */
final class CredentialCache {
    /** Cached credentials are refreshed this long before they expire, leaving the caller more than this long. */
    static final Duration REFRESH_AHEAD = Duration.ofMinutes(15);
    /**
     * How long a run waits for another run's refresh before calling STS itself: two STS calls' time limits (a source
     * profile's and the role's, 15 seconds each) with room to spare. One run stopped or wedged while it holds the lock
     * (Ctrl-Z in a terminal) would otherwise hold every other run of the request, and the tools waiting on them.
     */
    static final Duration LOCK_WAIT = Duration.ofSeconds(40);
    private static final Duration LOCK_POLL = Duration.ofMillis(50);
    private static final String OBTAINED = "Obtained";
    private static final String OUTPUT = "Output";
    /** The entry's key, within it too: an entry moved onto another request's name is not that request's. */
    private static final String KEY = "Key";

    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS_LOCKS = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Reads an entry whole: anything after the JSON value makes it a miss, as a damaged file should be. */
    private static final ObjectReader STRICT = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Fetches credentials from STS on a miss: the Version 1 JSON to cache and print. */
    @FunctionalInterface
    interface Fetch {
        String fetch() throws ClientConfigException, ParameterValidation.Failed;
    }

    private final Path directory;
    private final Clock clock;
    private final Duration lockWait;

    CredentialCache(Path directory, Clock clock) {
        this(directory, clock, LOCK_WAIT);
    }

    CredentialCache(Path directory, Clock clock, Duration lockWait) {
        this.directory = directory;
        this.clock = clock;
        this.lockWait = lockWait;
    }

    /** {@code $XDG_CACHE_HOME/opensts} when that is an absolute path, else {@code ~/.opensts/cache}. */
    static Path defaultDirectory(ClientEnvironment environment) {
        return environment.variable("XDG_CACHE_HOME").map(Path::of).filter(Path::isAbsolute)
                .map(base -> base.resolve("opensts"))
                .orElse(environment.home().resolve(".opensts").resolve("cache"));
    }

    Path directory() {
        return directory;
    }

    /**
     * Returns the entry for {@code key} if it is still fresh, else fetches, stores and returns a new one. When the
     * directory cannot be used safely the fetch runs uncached and the reason is returned through {@code warnings}.
     */
    String getOrFetch(String key, Fetch fetch, StringBuilder warnings)
            throws ClientConfigException, ParameterValidation.Failed {
        Optional<String> unusable = prepareDirectory();
        if (unusable.isPresent()) {
            warnings.append("opensts: not caching credentials: ").append(unusable.get()).append('\n');
            return fetch.fetch();
        }
        Path entry = directory.resolve(key + ".json");
        Optional<String> fresh = readFresh(entry, key);
        if (fresh.isPresent()) {
            return fresh.get();
        }
        Path lockFile = directory.resolve(key + ".lock");
        Optional<String> notOwn = Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS) ? whyNotOwn(lockFile)
                : Optional.empty();
        if (notOwn.isPresent()) {
            // Someone else's lock, left while the directory was open to them: whoever holds it could stall every run.
            warnings.append("opensts: not caching credentials: ").append(lockFile).append(' ').append(notOwn.get())
                    .append('\n');
            return fetch.fetch();
        }
        long deadline = System.nanoTime() + lockWait.toNanos();
        ReentrantLock inProcess = IN_PROCESS_LOCKS.computeIfAbsent(lockFile, path -> new ReentrantLock());
        if (!lockWithin(inProcess, deadline)) {
            warnings.append(stillRefreshing(lockFile));
            return fetch.fetch();
        }
        try (FileChannel channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OWNER_ONLY_FILE)) {
            if (!lockWithin(channel, deadline)) { // held until the channel closes
                warnings.append(stillRefreshing(lockFile));
                return fetch.fetch();
            }
            // Whoever held the lock before us may have just refreshed the entry.
            fresh = readFresh(entry, key);
            if (fresh.isPresent()) {
                return fresh.get();
            }
            Instant obtained = clock.instant();
            String json = fetch.fetch();
            try {
                write(entry, key, obtained, json);
            } catch (IOException e) {
                warnings.append("opensts: could not cache credentials: ").append(e.getMessage()).append('\n');
            }
            return json;
        } catch (IOException e) {
            warnings.append("opensts: not caching credentials: ").append(e.getMessage()).append('\n');
            return fetch.fetch();
        } finally {
            inProcess.unlock();
        }
    }

    private String stillRefreshing(Path lockFile) {
        long seconds = lockWait.toSeconds();
        return "opensts: not caching credentials: another run has held " + lockFile + " for more than " + seconds
                + (seconds == 1 ? " second\n" : " seconds\n");
    }

    private static boolean lockWithin(ReentrantLock lock, long deadline) throws ClientConfigException {
        try {
            return lock.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ClientConfigException.general("interrupted while waiting for another run's refresh");
        }
    }

    /**
     * Takes the file lock by {@code deadline} ({@link System#nanoTime()}); Java's file locks have no timed wait, so it
     * is tried again every {@link #LOCK_POLL}.
     */
    private static boolean lockWithin(FileChannel channel, long deadline) throws IOException, ClientConfigException {
        while (channel.tryLock() == null) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(LOCK_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ClientConfigException.general("interrupted while waiting for another run's refresh");
            }
        }
        return true;
    }

    /** Creates the directory (mode 700) or checks the existing one; returns why it must not be used, if so. */
    private Optional<String> prepareDirectory() {
        try {
            if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            }
            PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                return Optional.of(directory + " is a symbolic link");
            }
            if (!attributes.isDirectory()) {
                return Optional.of(directory + " is not a directory");
            }
            // Compared by uid: a container's user may have no name to look up.
            Object owner = Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (!owner.equals((int) new UnixSystem().getUid())) {
                return Optional.of(directory + " belongs to another user (uid " + owner + ")");
            }
            if (!attributes.permissions().equals(OWNER_ONLY_DIRECTORY)) {
                Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
            }
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of(directory + ": " + e.getMessage());
        }
    }

    /**
     * Why the entry or lock file is not one only this user could have written, if it is not: it must be a regular
     * file, owned by this user, readable and writable by no one else. The directory was not always the user's alone
     * (it is made so before use), and another user may have left a file in it meanwhile: such an entry is a miss, and
     * the refresh renames a new one over it; such a lock is not taken.
     */
    private static Optional<String> whyNotOwn(Path file) {
        try {
            PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            Object owner = Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return Optional.of("is not a regular file");
            }
            if (!owner.equals((int) new UnixSystem().getUid())) {
                return Optional.of("belongs to another user (uid " + owner + ")");
            }
            if (!attributes.permissions().equals(OWNER_ONLY_FILE.value())) {
                return Optional.of("is not mode 600 (" + PosixFilePermissions.toString(attributes.permissions())
                        + ")");
            }
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("cannot be checked: " + e.getMessage());
        }
    }

    /**
     * The printed JSON of the entry, if it is a regular file (not a link) holding credentials that are not yet due for
     * refresh: while more than {@link #REFRESH_AHEAD} remains, or, for a session shorter than twice that, until half
     * of it has passed.
     */
    private Optional<String> readFresh(Path entry, String key) {
        if (whyNotOwn(entry).isPresent()) {
            return Optional.empty();
        }
        byte[] bytes;
        try (SeekableByteChannel channel = Files.newByteChannel(entry, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)) {
            if (channel.size() > 64 * 1024) {
                return Optional.empty();
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // reads the whole entry
            }
            bytes = buffer.array();
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            JsonNode entryJson = STRICT.readTree(bytes);
            if (!entryJson.path(KEY).asText().equals(key)) {
                return Optional.empty(); // another request's entry, or one written before entries named their key
            }
            Instant obtained = Instant.parse(entryJson.get(OBTAINED).asText());
            String output = entryJson.get(OUTPUT).asText();
            JsonNode credentials = STRICT.readTree(output);
            if (!isVersion1Document(credentials)) {
                return Optional.empty(); // a damaged or hand-edited entry: the AWS CLI could not use it
            }
            Instant expiration = Instant.parse(credentials.get("Expiration").asText());
            Duration lifetime = Duration.between(obtained, expiration);
            Duration margin = lifetime.compareTo(REFRESH_AHEAD.multipliedBy(2)) < 0 ? lifetime.dividedBy(2)
                    : REFRESH_AHEAD;
            if (clock.instant().isBefore(expiration.minus(margin))) {
                return Optional.of(output);
            }
        } catch (IOException | DateTimeParseException | NullPointerException e) {
            // an entry we cannot read is a miss; the refresh replaces it
        }
        return Optional.empty();
    }

    /** Whether {@code credentials} is a whole credential_process Version 1 document, as this class writes them. */
    private static boolean isVersion1Document(JsonNode credentials) {
        if (credentials == null || !credentials.isObject() || !credentials.path("Version").isInt()
                || credentials.get("Version").intValue() != 1) {
            return false;
        }
        for (String member : List.of("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration")) {
            JsonNode value = credentials.get(member);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                return false;
            }
        }
        return true;
    }

    private void write(Path entry, String key, Instant obtained, String json) throws IOException {
        ObjectNode entryJson = JSON.createObjectNode();
        entryJson.put(KEY, key);
        entryJson.put(OBTAINED, obtained.toString());
        entryJson.put(OUTPUT, json);
        Path temporary = directory.resolve(entry.getFileName() + "." + HexFormat.of().formatHex(randomBytes())
                + ".tmp");
        try (SeekableByteChannel channel = Files.newByteChannel(temporary, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OWNER_ONLY_FILE)) {
            ByteBuffer buffer = ByteBuffer.wrap(JSON.writeValueAsBytes(entryJson));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        try {
            Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
