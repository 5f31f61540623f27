package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * GenerateCredentialReport and GetCredentialReport: the account's credential report, a CSV file with one row for the
 * account root and one per IAM user, in the columns and words of the IAM User Guide ("Getting credential reports for
 * your AWS account", https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html).
 *
 * <p>Design: each account has at most one report, kept as a future in memory on this node. The call that finds no
 * report, or one four hours old or older, puts a new future there and makes the report in its own thread, at once;
 * it answers {@code STARTED}. A call that comes while that report is being made finds the same future and builds
 * nothing: GenerateCredentialReport answers {@code INPROGRESS} and GetCredentialReport {@code ReportInProgress},
 * so a client that timed out and retries, or two callers at once, cost one report. Once it is made, every call
 * answers {@code COMPLETE} for four hours, as AWS reuses a report "generated in the past four hours" (same page). A
 * report that could not be made is dropped, so the next call starts again.
 *
 * <p>A report costs a fixed number of store reads per {@link #USERS_PER_CHUNK} users, whatever they hold: the account
 * and its users once, then the users' access keys, their MFA devices and their keys' last uses in one read each per
 * chunk. Each read holds one pooled connection, so a chunk bounds how long one report holds it. Reads go to the
 * store, not the caches of the hot path.
 *
 * <p>AWS documents a {@code ReportExpired} error but not after how long a report expires; the User Guide names only
 * the four hours after which GenerateCredentialReport makes a new one. So a report is served until it is replaced,
 * and {@code ReportExpired} is never answered.
 *
 * <p>The columns are AWS's, in AWS's order. Where OpenSTS has no such thing the cell says what AWS writes for a user
 * without it: no console password ({@code password_enabled} {@code false}, the other password cells {@code N/A}), no
 * X.509 signing certificates ({@code false}, {@code N/A}). The root row is AWS's {@code <root_account>} row: the
 * account's creation time, {@code not_supported} where AWS writes it for the root, and no password, MFA device or
 * access key, which an OpenSTS account root never has. A report holds no secret: names, ARNs, dates and key states.
 */
public final class CredentialReportOperations {
    /** The report's columns, in AWS's order. */
    public static final List<String> COLUMNS = List.of("user", "arn", "user_creation_time", "password_enabled",
            "password_last_used", "password_last_changed", "password_next_rotation", "mfa_active",
            "access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
            "access_key_1_last_used_region", "access_key_1_last_used_service",
            "access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
            "access_key_2_last_used_region", "access_key_2_last_used_service",
            "cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated");

    /** How long a report is reused instead of made again, as AWS reuses it. */
    public static final Duration REUSE_PERIOD = Duration.ofHours(4);

    /** How many users' keys, devices and key uses one store read fetches: IAM's largest page. */
    static final int USERS_PER_CHUNK = 1000;

    /** The account root's row name, as AWS writes it. */
    static final String ROOT_ACCOUNT = "<root_account>";
    /** A cell for something the user does not have. */
    static final String NOT_APPLICABLE = "N/A";
    /** A cell AWS never fills for the account root. */
    static final String NOT_SUPPORTED = "not_supported";
    /** GetCredentialReport's words while a report is being made (IAM API Reference, "GetCredentialReport"). */
    static final String IN_PROGRESS_MESSAGE = "The request was rejected because the credential report is still being "
            + "generated.";

    /** ISO 8601 with whole seconds and an explicit offset, as AWS writes the report's dates. */
    private static final DateTimeFormatter REPORT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    /** What GenerateCredentialReport found or did, the model's {@code ReportStateType}. */
    public enum State {
        /** No report, or only one four hours old or older: this call made a new one. */
        STARTED,
        /** Another call is making the report. */
        IN_PROGRESS,
        /** A report younger than four hours is there. */
        COMPLETE
    }

    /** One account's report: when it was made and its CSV text. */
    public record CredentialReport(Instant generatedTime, String csv) {
        public CredentialReport {
            requireNonNull(generatedTime, "generatedTime");
            requireNonNull(csv, "csv");
        }
    }

    private final IdentityReader store;
    private final int usersPerChunk;
    private final Map<String, CompletableFuture<CredentialReport>> reports = new ConcurrentHashMap<>();

    public CredentialReportOperations(IdentityReader store) {
        this(store, USERS_PER_CHUNK);
    }

    CredentialReportOperations(IdentityReader store, int usersPerChunk) {
        this.store = requireNonNull(store, "store");
        this.usersPerChunk = usersPerChunk;
    }

    /**
     * GenerateCredentialReport at {@code now}: makes the account's report, in this thread, unless one younger than
     * four hours is there or another call is making it.
     *
     * @throws RuntimeException what the store threw while the report was made; the report made before, if any, is
     *     kept then
     */
    public State generateCredentialReport(String accountId, Instant now) {
        var mine = new CompletableFuture<CredentialReport>();
        var replaced = new AtomicReference<CompletableFuture<CredentialReport>>();
        CompletableFuture<CredentialReport> current = reports.compute(accountId, (id, existing) -> {
            if (existing == null || isReplaceable(existing, now)) {
                replaced.set(existing);
                return mine;
            }
            return existing;
        });
        if (current != mine) {
            return current.isDone() ? State.COMPLETE : State.IN_PROGRESS;
        }
        try {
            mine.complete(new CredentialReport(now.truncatedTo(ChronoUnit.SECONDS), csv(accountId)));
            return State.STARTED;
        } catch (RuntimeException | Error e) {
            // A report being replaced stays the account's report: a failed replacement takes nothing away.
            if (replaced.get() == null) {
                reports.remove(accountId, mine);
            } else {
                reports.replace(accountId, mine, replaced.get());
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** A made report four hours old or older; never one being made, nor one that failed (it is removed). */
    private static boolean isReplaceable(CompletableFuture<CredentialReport> report, Instant now) {
        return report.isDone() && !report.isCompletedExceptionally()
                && !isReusable(report.join().generatedTime(), now);
    }

    /** Whether a report made at {@code generatedTime} is still the account's report at {@code now}. */
    public static boolean isReusable(Instant generatedTime, Instant now) {
        return now.isBefore(generatedTime.plus(REUSE_PERIOD));
    }

    /**
     * GetCredentialReport: the account's report, however old.
     *
     * @throws ApiException {@code ReportNotPresent} (without a message, as AWS answers it) if no report was made,
     *     {@code ReportInProgress} while one is being made
     */
    public CredentialReport getCredentialReport(String accountId) {
        CompletableFuture<CredentialReport> report = reports.get(accountId);
        if (report == null || report.isCompletedExceptionally()) {
            throw new ApiException(ErrorCode.REPORT_NOT_PRESENT, "");
        }
        if (!report.isDone()) {
            throw new ApiException(ErrorCode.REPORT_IN_PROGRESS, IN_PROGRESS_MESSAGE);
        }
        return report.join();
    }

    /** The report of {@code accountId} as the store has it now: the header, the root's row, one row per user. */
    String csv(String accountId) {
        var out = new StringBuilder();
        row(out, COLUMNS);
        Account account = store.findAccount(accountId).orElseGet(() -> new Account(accountId, Instant.EPOCH));
        row(out, rootRow(account.rootArn(), account.createDate()));
        List<User> users = store.listUsers(accountId);
        for (int from = 0; from < users.size(); from += usersPerChunk) {
            List<User> chunk = users.subList(from, Math.min(users.size(), from + usersPerChunk));
            List<String> userIds = chunk.stream().map(User::userId).toList();
            Map<String, List<AccessKey>> keysOf = store.listAccessKeysOf(userIds);
            Map<String, List<MfaDevice>> devicesOf = store.listMfaDevicesOf(userIds);
            // A user has at most two keys; the first made is access_key_1 (ties, within a second, by key id).
            Map<String, List<AccessKey>> reported = new HashMap<>();
            keysOf.forEach((userId, keys) -> reported.put(userId, keys.stream()
                    .sorted(Comparator.comparing(AccessKey::createDate).thenComparing(AccessKey::accessKeyId))
                    .limit(2)
                    .toList()));
            Map<String, AccessKeyLastUsed> lastUses = store.findAccessKeyLastUsedOf(reported.values().stream()
                    .flatMap(List::stream).map(AccessKey::accessKeyId).toList());
            for (User user : chunk) {
                boolean mfaActive = devicesOf.getOrDefault(user.userId(), List.of()).stream()
                        .anyMatch(MfaDevice::isEnabled);
                row(out, userRow(user, mfaActive, reported.getOrDefault(user.userId(), List.of()), lastUses));
            }
        }
        return out.toString();
    }

    private static List<String> rootRow(String rootArn, Instant accountCreated) {
        var cells = new ArrayList<String>(COLUMNS.size());
        cells.addAll(List.of(ROOT_ACCOUNT, rootArn, time(accountCreated), NOT_SUPPORTED, NOT_APPLICABLE,
                NOT_SUPPORTED, NOT_SUPPORTED, "false"));
        noAccessKey(cells);
        noAccessKey(cells);
        noCertificates(cells);
        return cells;
    }

    private static List<String> userRow(User user, boolean mfaActive, List<AccessKey> keys,
            Map<String, AccessKeyLastUsed> lastUses) {
        var cells = new ArrayList<String>(COLUMNS.size());
        cells.addAll(List.of(user.userName(), user.arn(), time(user.createDate()), "false", NOT_APPLICABLE,
                NOT_APPLICABLE, NOT_APPLICABLE, Boolean.toString(mfaActive)));
        for (AccessKey key : keys) {
            accessKey(cells, key, lastUses.get(key.accessKeyId()));
        }
        for (int i = keys.size(); i < 2; i++) {
            noAccessKey(cells);
        }
        noCertificates(cells);
        return cells;
    }

    private static void accessKey(List<String> cells, AccessKey key, AccessKeyLastUsed lastUsed) {
        cells.add(Boolean.toString(key.status() == AccessKeyStatus.ACTIVE));
        cells.add(time(key.createDate()));
        cells.add(lastUsed == null ? NOT_APPLICABLE : time(lastUsed.lastUsedDate()));
        cells.add(lastUsed == null ? NOT_APPLICABLE : lastUsed.region());
        cells.add(lastUsed == null ? NOT_APPLICABLE : lastUsed.serviceName());
    }

    private static void noAccessKey(List<String> cells) {
        cells.addAll(List.of("false", NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE));
    }

    private static void noCertificates(List<String> cells) {
        cells.addAll(List.of("false", NOT_APPLICABLE, "false", NOT_APPLICABLE));
    }

    private static String time(Instant instant) {
        return REPORT_TIME.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * One CSV line (RFC 4180): a cell with a comma, quote or line break is quoted, its quotes doubled. IAM names may
     * hold commas ({@code [\w+=,.@-]+}).
     */
    private static void row(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String cell = cells.get(i);
            if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
                    || cell.indexOf('\r') >= 0) {
                out.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                out.append(cell);
            }
        }
        out.append('\n');
    }
}
