package org.opensts.iam.jdbc;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.opensts.token.Secret;

/**
 * Where the identity store lives: a JDBC URL and, for a server database, the user and password.
 * The password is a {@link Secret} so that printing the settings never shows it.
 *
 * @param responseTimeout how long a call waits for a PostgreSQL server to answer before it fails, unless the URL's
 *     {@code socketTimeout} says otherwise (see {@link #socketTimeout()}): a connection whose network path dropped
 *     silently (a failover, a partition) would otherwise hold its operations thread for as long as TCP retransmits, a
 *     quarter of an hour on Linux, while the node answers every other call with 503; it also bounds, halved, how long a
 *     write waits for a lock on either database (see {@link #lockTimeout()}), and how long a call waits for a
 *     connection (see {@link #connectionTimeout()})
 */
public record StoreSettings(String jdbcUrl, Optional<String> username, Optional<Secret> password, int maximumPoolSize,
        Duration responseTimeout) {
    private static final String POSTGRES_PREFIX = "jdbc:postgresql:";
    /**
     * The default {@link #responseTimeout()}: far longer than any query of the store takes, and short enough that a
     * call whose database went silent is answered, with {@link #MAXIMUM_CONNECTION_TIMEOUT} on top, well within the
     * AWS SDKs' and CLI's 60-second read timeout.
     */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    /** The longest a call waits for a connection from the pool; see {@link #connectionTimeout()}. */
    public static final Duration MAXIMUM_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    private static final String SOCKET_TIMEOUT_PARAMETER = "socketTimeout=";

    public StoreSettings {
        requireNonNull(jdbcUrl, "jdbcUrl");
        requireNonNull(username, "username");
        requireNonNull(password, "password");
        requireNonNull(responseTimeout, "responseTimeout");
        if (maximumPoolSize < 1) {
            throw new IllegalArgumentException("maximumPoolSize must be positive");
        }
        if (responseTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("responseTimeout must be at least a second");
        }
    }

    /** The longest a write waits for a row that another write holds; see {@link #lockTimeout()}. */
    public static final Duration MAXIMUM_LOCK_TIMEOUT = Duration.ofSeconds(10);

    /** Settings with the {@link #DEFAULT_RESPONSE_TIMEOUT}. */
    public StoreSettings(String jdbcUrl, Optional<String> username, Optional<Secret> password, int maximumPoolSize) {
        this(jdbcUrl, username, password, maximumPoolSize, DEFAULT_RESPONSE_TIMEOUT);
    }

    /** These settings with another {@link #responseTimeout()}. */
    public StoreSettings withResponseTimeout(Duration timeout) {
        return new StoreSettings(jdbcUrl, username, password, maximumPoolSize, timeout);
    }

    /**
     * How long a write transaction waits for a row that a concurrent one has locked before it gives up (and IAM
     * answers {@code ConcurrentModification}), on either database: {@link #MAXIMUM_LOCK_TIMEOUT}, or half the
     * {@link #socketTimeout()} if that is less, so that a wait for a lock is never taken for a server that went
     * silent. Writes hold their locks for milliseconds; a wait this long means something is stuck.
     */
    public Duration lockTimeout() {
        Duration half = socketTimeout().dividedBy(2);
        return half.compareTo(MAXIMUM_LOCK_TIMEOUT) < 0 ? half : MAXIMUM_LOCK_TIMEOUT;
    }

    /**
     * How long a call waits for the database to answer a statement: the {@code socketTimeout=SECONDS} the URL names, if
     * it names a positive one (the driver then uses it), else the {@link #responseTimeout()}.
     */
    public Duration socketTimeout() {
        int query = jdbcUrl.indexOf('?');
        if (query >= 0) {
            for (String parameter : jdbcUrl.substring(query + 1).split("&")) {
                if (parameter.startsWith(SOCKET_TIMEOUT_PARAMETER)) {
                    try {
                        long seconds = Long.parseLong(parameter.substring(SOCKET_TIMEOUT_PARAMETER.length()));
                        // 0 is the driver's "no timeout": the limit here is then the one of the pool alone.
                        return seconds > 0 ? Duration.ofSeconds(seconds) : responseTimeout;
                    } catch (NumberFormatException e) {
                        return responseTimeout; // the driver refuses such a URL when it connects
                    }
                }
            }
        }
        return responseTimeout;
    }

    /**
     * The driver properties of a PostgreSQL connection of its own, outside the pool (the change feed's, an advisory
     * lock's): the user and password, {@code applicationName}, and the driver's read timeout as the pool's
     * connections have it (a URL's own {@code socketTimeout} takes precedence). Holds the password: never logged.
     */
    Properties directConnectionProperties(String applicationName) {
        var properties = new Properties();
        username.ifPresent(user -> properties.setProperty("user", user));
        password.ifPresent(secret -> properties.setProperty("password", secret.revealUtf8()));
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("socketTimeout", String.valueOf(responseTimeout.toSeconds()));
        return properties;
    }

    /**
     * How long a call waits for a connection from the pool before it fails (and the server answers
     * {@code ServiceUnavailable}): the {@link #socketTimeout()}, at most {@link #MAXIMUM_CONNECTION_TIMEOUT}. A
     * connection to a database that answers comes in milliseconds, so a longer wait means it is down, silent, or so
     * busy that every connection has been taken for seconds; waiting longer would only hold the call's thread.
     */
    public Duration connectionTimeout() {
        Duration socket = socketTimeout();
        return socket.compareTo(MAXIMUM_CONNECTION_TIMEOUT) < 0 ? socket : MAXIMUM_CONNECTION_TIMEOUT;
    }

    /**
     * The embedded store: an H2 file {@code opensts.mv.db} in {@code dataDir}, in PostgreSQL mode so that one schema
     * serves both. {@code WRITE_DELAY=0} makes every commit reach the file before it is acknowledged, and the store
     * forces the file to the disk after each write ({@link EmbeddedCommitSync}).
     * {@code DB_CLOSE_ON_EXIT=FALSE} leaves closing to the node: H2's own shutdown hook would otherwise close the
     * database while the node's hook still writes its last records (the last-use times of the final seconds).
     */
    public static StoreSettings embedded(Path dataDir) {
        String file = dataDir.toAbsolutePath().resolve("opensts").toString();
        return new StoreSettings("jdbc:h2:file:" + file
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
                + ";DB_CLOSE_ON_EXIT=FALSE",
                Optional.empty(), Optional.empty(), 4);
    }

    /**
     * A PostgreSQL server ({@code jdbc:postgresql://host:port/db}), shared by every node that names it.
     *
     * @throws IllegalArgumentException if the URL is not a PostgreSQL one
     */
    public static StoreSettings postgres(String jdbcUrl, Optional<String> username, Optional<Secret> password) {
        requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith(POSTGRES_PREFIX)) {
            throw new IllegalArgumentException("A PostgreSQL store URL starts with " + POSTGRES_PREFIX + "//");
        }
        return new StoreSettings(jdbcUrl, username, password, 10);
    }

    /** Whether this is an embedded H2 file, whose commits the kernel may still hold in memory when acknowledged. */
    boolean isEmbeddedFile() {
        return jdbcUrl.startsWith("jdbc:h2:file:");
    }

    /** Whether this is a PostgreSQL server, the store that several nodes may share. */
    public boolean isPostgres() {
        return jdbcUrl.startsWith(POSTGRES_PREFIX);
    }

    @Override
    public String toString() {
        return "StoreSettings[" + describe() + ", username=" + username.orElse("-") + "]";
    }

    /** The URL without any password a user may have put in it. */
    public String describe() {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }
}
