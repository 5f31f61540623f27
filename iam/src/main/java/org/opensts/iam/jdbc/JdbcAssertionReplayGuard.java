package org.opensts.iam.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.opensts.protocol.CallExecutor;

/**
 * The SAML assertions redeemed on any node of a store, in its {@code saml_assertion_uses} table: the same assertion ID
 * for the same role is accepted once, everywhere, until it expires. It has the shape of the federation module's
 * {@code AssertionReplayGuard} ({@code guard::firstUse}), which the identity store does not depend on.
 *
 * <p>A use is one {@code INSERT … ON CONFLICT DO NOTHING}: of two nodes redeeming one assertion at once, the database
 * lets exactly one insert the row. A row is kept until {@link #RETENTION_MARGIN} after the assertion's expiry, longer
 * than any clock tolerance a verifier allows, so that an assertion is never both still accepted and forgotten. A row
 * past that is an expired use: it may be taken over (a conditional {@code UPDATE}, atomic too) and is purged by
 * {@link #purgeExpired}, which a node runs on a schedule, a bounded batch at a time.
 */
public final class JdbcAssertionReplayGuard {
    /** How long past an assertion's expiry its use is remembered: above any verifier's clock tolerance. */
    public static final Duration RETENTION_MARGIN = Duration.ofMinutes(10);
    /** The longest a use is remembered, whatever expiry the assertion states. */
    public static final Duration MAX_RETENTION = Duration.ofDays(1);

    private static final String INSERT = "INSERT INTO saml_assertion_uses (use_key, expires_at) VALUES (?, ?) "
            + "ON CONFLICT DO NOTHING";
    private static final String TAKE_OVER_EXPIRED = "UPDATE saml_assertion_uses SET expires_at = ? "
            + "WHERE use_key = ? AND expires_at <= ?";
    private static final String PURGE = "DELETE FROM saml_assertion_uses WHERE use_key IN "
            + "(SELECT use_key FROM saml_assertion_uses WHERE expires_at <= ? LIMIT ?)";

    private final DataSource dataSource;
    private final Clock clock;

    public JdbcAssertionReplayGuard(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource");
        this.clock = requireNonNull(clock, "clock");
    }

    /** A guard on the store's own database, the table every node of the store shares. */
    public static JdbcAssertionReplayGuard of(JdbcIdentityStore store, Clock clock) {
        return new JdbcAssertionReplayGuard(store.dataSource(), clock);
    }

    /**
     * How long a use is remembered: {@link #RETENTION_MARGIN} past the assertion's expiry, but never more than
     * {@link #MAX_RETENTION} from now, so that an expiry an IdP wrote centuries ahead neither overflows nor keeps a row
     * for ever. The verifier refuses an assertion long before that bound (it must be redeemed within minutes of being
     * issued), so capping loses no protection.
     */
    static long keepUntil(Instant expiresAt, Instant now) {
        Instant latest = now.plus(MAX_RETENTION);
        Instant until = expiresAt.isAfter(latest.minus(RETENTION_MARGIN)) ? latest : expiresAt.plus(RETENTION_MARGIN);
        return until.toEpochMilli();
    }

    /**
     * Records a use and tells whether it is the first.
     *
     * @param expiresAt after this instant the assertion is refused as expired anyway
     * @return {@code true} the first time, on any node, and {@code false} on every later call with the same id and role
     *     until {@link #RETENTION_MARGIN} after {@code expiresAt}
     * @throws StoreException if the database cannot be reached: a use that cannot be recorded is not allowed
     */
    public boolean firstUse(String assertionId, String roleArn, Instant expiresAt) {
        String key = useKey(requireNonNull(assertionId, "assertionId"), requireNonNull(roleArn, "roleArn"));
        long keepUntil = keepUntil(expiresAt, clock.instant());
        return CallExecutor.blocking(() -> {
            try (Connection connection = dataSource.getConnection()) {
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    insert.setString(1, key);
                    insert.setLong(2, keepUntil);
                    if (insert.executeUpdate() == 1) {
                        return true;
                    }
                }
                try (PreparedStatement takeOver = connection.prepareStatement(TAKE_OVER_EXPIRED)) {
                    takeOver.setLong(1, keepUntil);
                    takeOver.setString(2, key);
                    takeOver.setLong(3, clock.millis());
                    return takeOver.executeUpdate() == 1;
                }
            } catch (SQLException e) {
                throw StoreException.from(e);
            }
        });
    }

    /**
     * Deletes at most {@code limit} uses whose retention has passed.
     *
     * @return how many were deleted; fewer than {@code limit} means none is left
     */
    public int purgeExpired(int limit) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement purge = connection.prepareStatement(PURGE)) {
            purge.setLong(1, clock.millis());
            purge.setInt(2, limit);
            return purge.executeUpdate();
        } catch (SQLException e) {
            throw StoreException.from(e);
        }
    }

    /** SHA-256 of the id, length-prefixed so that no two (id, role) pairs share an input, and the role ARN. */
    static String useKey(String assertionId, String roleArn) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            digest.update((assertionId.length() + ":" + assertionId + roleArn).getBytes(UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
