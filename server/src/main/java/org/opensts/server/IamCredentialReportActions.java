package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.opensts.iam.AccessKey;
import org.opensts.iam.AccessKeyStatus;
import org.opensts.iam.Account;
import org.opensts.iam.IdentityReader;
import org.opensts.iam.MfaDevice;
import org.opensts.iam.User;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.Authorizer;

/**
 * GenerateCredentialReport and GetCredentialReport: the account's credential report, a CSV file with one row for the
 * account root and one per IAM user, in the columns and words of the IAM User Guide ("Getting credential reports for
 * your AWS account", https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html).
 *
 * <p>Design: a report is made from the store at once, inside GenerateCredentialReport, so the first call answers
 * {@code STARTED} (with AWS's recorded description) and every later call {@code COMPLETE}, as AWS answers once its
 * report is done. As the User Guide describes, a report made within the past four hours is the one returned, and
 * only an older one is replaced by a new report. Reports are kept
 * in memory, per account, on the node that made them: a node that restarts, or another node behind the same load
 * balancer, has none until GenerateCredentialReport is called on it, and GetCredentialReport there answers
 * {@code ReportNotPresent} as AWS answers an account that never asked for one. A report holds no secret: names,
 * ARNs, dates and key states.
 *
 * <p>The columns are AWS's, in AWS's order. Where OpenSTS has no such thing the cell says what AWS writes for a user
 * without it: no console password ({@code password_enabled} {@code false}, the other password cells {@code N/A}), no
 * X.509 signing certificates ({@code false}, {@code N/A}). The root row is AWS's {@code <root_account>} row: the
 * account's creation time, {@code not_supported} where AWS writes it for the root, and no password, MFA device or
 * access key, which an OpenSTS account root never has.
 */
final class IamCredentialReportActions {
    /** GenerateCredentialReport takes no input; the model declares none. */
    static final StructureShape GENERATE_CREDENTIAL_REPORT_REQUEST =
            StructureShape.empty("GenerateCredentialReportRequest");
    /** GetCredentialReport takes no input; the model declares none. */
    static final StructureShape GET_CREDENTIAL_REPORT_REQUEST = StructureShape.empty("GetCredentialReportRequest");

    /** The report's columns, in AWS's order. */
    static final List<String> COLUMNS = List.of("user", "arn", "user_creation_time", "password_enabled",
            "password_last_used", "password_last_changed", "password_next_rotation", "mfa_active",
            "access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
            "access_key_1_last_used_region", "access_key_1_last_used_service",
            "access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
            "access_key_2_last_used_region", "access_key_2_last_used_service",
            "cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated");

    /** How long a report is reused instead of made again, as AWS reuses it. */
    static final Duration REUSE_PERIOD = Duration.ofHours(4);

    /** The account root's row name, as AWS writes it. */
    static final String ROOT_ACCOUNT = "<root_account>";
    /** A cell for something the user does not have. */
    static final String NOT_APPLICABLE = "N/A";
    /** A cell AWS never fills for the account root. */
    static final String NOT_SUPPORTED = "not_supported";
    /** What AWS answers the first GenerateCredentialReport of an account (its recorded words). */
    static final String STARTED_DESCRIPTION = "No report exists. Starting a new report generation task";
    /** The report's MIME type, the one value of the model's {@code ReportFormatType}. */
    static final String REPORT_FORMAT = "text/csv";

    /** ISO 8601 with whole seconds and an explicit offset, as AWS writes the report's dates. */
    private static final DateTimeFormatter REPORT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    private final IdentityReader store;
    private final Map<String, Report> reports = new ConcurrentHashMap<>();

    /** One account's report: when it was made and its CSV text. */
    private record Report(Instant generatedTime, byte[] csv) {
    }

    private IamCredentialReportActions(IdentityReader store) {
        this.store = store;
    }

    static List<QueryAction> all(IdentityReader store, Authorizer authorizer) {
        var actions = new IamCredentialReportActions(store);
        return List.of(
                // IAM names no resource for the account's credential report.
                IamAction.of(authorizer, "GenerateCredentialReport", GENERATE_CREDENTIAL_REPORT_REQUEST,
                        (account, input) -> "*",
                        actions::generateCredentialReport),
                IamAction.of(authorizer, "GetCredentialReport", GET_CREDENTIAL_REPORT_REQUEST,
                        (account, input) -> "*",
                        actions::getCredentialReport));
    }

    private ActionResult generateCredentialReport(IamCall call, Struct input) {
        Instant now = call.metadata().receivedAt();
        Report existing = reports.get(call.accountId());
        // AWS's recorded answers: COMPLETE alone once a report is done, STARTED with a description when it starts one.
        if (existing != null && isReusable(existing.generatedTime(), now)) {
            return ActionResult.of(xml -> xml.element("State", "COMPLETE"), Map.of());
        }
        // Two calls at once may both make a report; either is the account's report at that moment.
        reports.put(call.accountId(), new Report(now.truncatedTo(ChronoUnit.SECONDS),
                csv(call.accountId()).getBytes(UTF_8)));
        return ActionResult.of(xml -> xml.element("State", "STARTED").element("Description", STARTED_DESCRIPTION),
                Map.of());
    }

    /** Whether a report made at {@code generatedTime} is still the account's report at {@code now}. */
    static boolean isReusable(Instant generatedTime, Instant now) {
        return now.isBefore(generatedTime.plus(REUSE_PERIOD));
    }

    private ActionResult getCredentialReport(IamCall call, Struct input) {
        Report report = reports.get(call.accountId());
        if (report == null) {
            // AWS's recorded answer has no message at all.
            throw new ApiException(ErrorCode.REPORT_NOT_PRESENT, "");
        }
        return ActionResult.of(xml -> xml.element("Content", Base64.getEncoder().encodeToString(report.csv()))
                .element("ReportFormat", REPORT_FORMAT)
                .element("GeneratedTime", report.generatedTime()), Map.of());
    }

    /** The report of {@code accountId} as the store has it now: the header, the root's row, one row per user. */
    String csv(String accountId) {
        var out = new StringBuilder();
        row(out, COLUMNS);
        Account account = store.findAccount(accountId).orElseGet(() -> new Account(accountId, Instant.EPOCH));
        row(out, rootRow(account.rootArn(), account.createDate()));
        for (User user : store.listUsers(accountId)) {
            row(out, userRow(user));
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

    private List<String> userRow(User user) {
        var cells = new ArrayList<String>(COLUMNS.size());
        boolean mfaActive = store.listMfaDevicesForUser(user.userId()).stream().anyMatch(MfaDevice::isEnabled);
        cells.addAll(List.of(user.userName(), user.arn(), time(user.createDate()), "false", NOT_APPLICABLE,
                NOT_APPLICABLE, NOT_APPLICABLE, Boolean.toString(mfaActive)));
        // A user has at most two keys; the first made is access_key_1 (ties, within a second, by key id).
        List<AccessKey> keys = store.listAccessKeys(user.userId()).stream()
                .sorted(Comparator.comparing(AccessKey::createDate).thenComparing(AccessKey::accessKeyId))
                .limit(2)
                .toList();
        for (AccessKey key : keys) {
            accessKey(cells, key);
        }
        for (int i = keys.size(); i < 2; i++) {
            noAccessKey(cells);
        }
        noCertificates(cells);
        return cells;
    }

    private void accessKey(List<String> cells, AccessKey key) {
        cells.add(Boolean.toString(key.status() == AccessKeyStatus.ACTIVE));
        cells.add(time(key.createDate()));
        var lastUsed = store.findAccessKeyLastUsed(key.accessKeyId());
        cells.add(lastUsed.map(use -> time(use.lastUsedDate())).orElse(NOT_APPLICABLE));
        cells.add(lastUsed.map(use -> use.region()).orElse(NOT_APPLICABLE));
        cells.add(lastUsed.map(use -> use.serviceName()).orElse(NOT_APPLICABLE));
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
