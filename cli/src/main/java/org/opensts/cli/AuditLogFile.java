package org.opensts.cli;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The audit log of {@code opensts serve}: the events of the {@code opensts.audit} logger, one JSON line each, in
 * {@code DATA/audit.log}, rolled over daily (UTC) and whenever the file would grow past a size.
 *
 * <p>A rolled-over file is named {@code audit.YYYY-MM-DD.N.log.gz}: the day its events were written, a counter within
 * the day, gzip-compressed. Files older than the retention are deleted as days pass. The rollover happens between two
 * events under the appender's lock, and every event is flushed as it is written, so neither a rollover nor a crash
 * after the write loses one; {@link #close} waits for the last compression, so a clean shutdown leaves every event in
 * a complete file.
 *
 * <p>Retention is logback's: at each rollover the files of the day that just passed the retention are deleted, and
 * at start-up (in the background) those of the 32 days before that. Files older still, left by a node stopped for more than a month, stay
 * until an operator removes them.
 *
 * <p>Set up in code rather than in {@code logback.xml}: the data directory, the size and the retention are options of
 * {@code serve}, known only once the command line is read, and a test can set up the same appender with a tiny size.
 */
final class AuditLogFile implements AutoCloseable {
    /** The logger {@code server}'s audit log writes to; its name is part of the contract with operators. */
    static final String LOGGER_NAME = "opensts.audit";
    static final String APPENDER_NAME = "AUDIT";
    static final String ACTIVE_FILE_NAME = "audit.log";
    /** Days in UTC, so that every node names a day's files alike; {@code %i} counts the files of one day. */
    static final String ROLLED_FILE_PATTERN = "audit.%d{yyyy-MM-dd,UTC}.%i.log.gz";

    private final RollingFileAppender<ILoggingEvent> appender;
    private final SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy;

    private AuditLogFile(RollingFileAppender<ILoggingEvent> appender,
            SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy) {
        this.appender = appender;
        this.policy = policy;
    }

    /**
     * Sends the audit logger's events to {@code DIR/audit.log} from now on, in place of any appender it had.
     *
     * @param maxSize the size at which the active file is rolled over, at least 1 KB
     * @param retentionDays how many days of rolled-over files are kept, at least 1
     * @throws IllegalArgumentException for a size or retention out of range
     */
    static AuditLogFile install(Path dataDir, FileSize maxSize, int retentionDays) {
        requireNonNull(dataDir, "dataDir");
        requireNonNull(maxSize, "maxSize");
        if (maxSize.getSize() < FileSize.KB_COEFFICIENT) {
            throw new IllegalArgumentException("the audit log's maximum size must be at least 1KB");
        }
        if (retentionDays < 1) {
            // Logback reads a maximum history of 0 as "keep everything"; we refuse it rather than surprise anyone.
            throw new IllegalArgumentException("the audit log's retention must be at least 1 day");
        }
        var context = (LoggerContext) LoggerFactory.getILoggerFactory();

        var encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();

        var appender = new RollingFileAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.setName(APPENDER_NAME);
        appender.setFile(dataDir.resolve(ACTIVE_FILE_NAME).toString());
        appender.setAppend(true);
        appender.setImmediateFlush(true);
        appender.setEncoder(encoder);

        var policy = new SizeAndTimeBasedRollingPolicy<ILoggingEvent>();
        policy.setContext(context);
        policy.setParent(appender);
        policy.setFileNamePattern(dataDir.resolve(ROLLED_FILE_PATTERN).toString());
        policy.setMaxFileSize(maxSize);
        policy.setMaxHistory(retentionDays);
        policy.setCleanHistoryOnStart(true);
        policy.start();
        appender.setRollingPolicy(policy);
        appender.setTriggeringPolicy(policy);
        appender.start();

        Logger logger = context.getLogger(LOGGER_NAME);
        logger.detachAppender(APPENDER_NAME);
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
        return new AuditLogFile(appender, policy);
    }

    /** Deletes an empty {@code audit.log} in {@code dataDir}, then {@code dataDir} itself if that leaves it empty. */
    static void deleteIfEmpty(Path dataDir) throws IOException {
        Path active = dataDir.resolve(ACTIVE_FILE_NAME);
        if (Files.isRegularFile(active) && Files.size(active) == 0) {
            Files.delete(active);
        }
        try (Stream<Path> entries = Files.list(dataDir)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(dataDir);
            }
        }
    }

    /** The rolling policy, for tests that move its clock or run its clean-up. */
    SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy() {
        return policy;
    }

    /**
     * Detaches the appender and stops it: the active file is closed and a compression under way is waited for. Events
     * logged afterwards are dropped, so call it once the node no longer serves requests.
     */
    @Override
    public void close() {
        var context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(LOGGER_NAME).detachAppender(appender);
        appender.stop();
    }
}
