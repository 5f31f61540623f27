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
 * The console's single-use tokens (sign-in tokens of the federation endpoint, sign-in handoffs) redeemed on any node
 * of a store, in its {@code console_token_uses} table: a token id is accepted once, everywhere, until it expires.
 *
 * <p>A use is one {@code INSERT … ON CONFLICT DO NOTHING}: of two nodes redeeming one token at once, the database lets
 * exactly one insert the row. A row is kept until {@link #RETENTION_MARGIN} after the token's expiry, longer than the
 * clock skew between nodes, so that a token is never both still accepted and forgotten; past that it may be taken over
 * (a conditional {@code UPDATE}) and is purged by {@link #purgeExpired}, which a node runs on a schedule.
 */
public final class JdbcConsoleTokenUses {
    /** How long past a token's expiry its use is remembered: above the clock skew nodes may have. */
    public static final Duration RETENTION_MARGIN = Duration.ofMinutes(15);
    /** The longest a use is remembered, whatever expiry the token states. */
    public static final Duration MAX_RETENTION = Duration.ofDays(1);

    private static final String INSERT = "INSERT INTO console_token_uses (use_key, expires_at) VALUES (?, ?) "
            + "ON CONFLICT DO NOTHING";
    private static final String TAKE_OVER_EXPIRED = "UPDATE console_token_uses SET expires_at = ? "
            + "WHERE use_key = ? AND expires_at <= ?";
    private static final String PURGE = "DELETE FROM console_token_uses WHERE use_key IN "
            + "(SELECT use_key FROM console_token_uses WHERE expires_at <= ? LIMIT ?)";

    private final DataSource dataSource;
    private final Clock clock;

    public JdbcConsoleTokenUses(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The uses on the store's own database, the table every node of the store shares. */
    public static JdbcConsoleTokenUses of(JdbcIdentityStore store, Clock clock) {
        return new JdbcConsoleTokenUses(store.dataSource(), clock);
    }

    /**
     * Records a use and tells whether it is the first.
     *
     * @param tokenId the token's random id (not the token)
     * @param expiresAt after this instant the token is refused as expired anyway
     * @return {@code true} the first time, on any node, and {@code false} on every later call with the same id until
     *     {@link #RETENTION_MARGIN} after {@code expiresAt}
     * @throws StoreException if the database cannot be reached: a use that cannot be recorded is not allowed
     */
    public boolean firstUse(String tokenId, Instant expiresAt) {
        String key = useKey(requireNonNull(tokenId, "tokenId"));
        Instant now = clock.instant();
        Instant latest = now.plus(MAX_RETENTION);
        Instant until = expiresAt.isAfter(latest.minus(RETENTION_MARGIN)) ? latest : expiresAt.plus(RETENTION_MARGIN);
        return CallExecutor.blocking(() -> {
            try (Connection connection = dataSource.getConnection()) {
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    insert.setString(1, key);
                    insert.setLong(2, until.toEpochMilli());
                    if (insert.executeUpdate() == 1) {
                        return true;
                    }
                }
                try (PreparedStatement takeOver = connection.prepareStatement(TAKE_OVER_EXPIRED)) {
                    takeOver.setLong(1, until.toEpochMilli());
                    takeOver.setString(2, key);
                    takeOver.setLong(3, now.toEpochMilli());
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

    private static String useKey(String tokenId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tokenId.getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
