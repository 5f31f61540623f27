package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.opensts.iam.CredentialReportOperations;
import org.opensts.iam.CredentialReportOperations.CredentialReport;
import org.opensts.iam.IdentityReader;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.Authorizer;

/**
 * GenerateCredentialReport and GetCredentialReport over the query protocol; {@link CredentialReportOperations} makes
 * and keeps the reports. Reports are kept in memory, per account, on the node that made them: a node that restarts,
 * or another node behind the same load balancer, has none until GenerateCredentialReport is called on it, and
 * GetCredentialReport there answers {@code ReportNotPresent} as AWS answers an account that never asked for one.
 */
final class IamCredentialReportActions {
    /** GenerateCredentialReport takes no input; the model declares none. */
    static final StructureShape GENERATE_CREDENTIAL_REPORT_REQUEST =
            StructureShape.empty("GenerateCredentialReportRequest");
    /** GetCredentialReport takes no input; the model declares none. */
    static final StructureShape GET_CREDENTIAL_REPORT_REQUEST = StructureShape.empty("GetCredentialReportRequest");

    /** What AWS answers the first GenerateCredentialReport of an account (its recorded words). */
    static final String STARTED_DESCRIPTION = "No report exists. Starting a new report generation task";
    /** The report's MIME type, the one value of the model's {@code ReportFormatType}. */
    static final String REPORT_FORMAT = "text/csv";

    private final CredentialReportOperations reports;

    private IamCredentialReportActions(CredentialReportOperations reports) {
        this.reports = reports;
    }

    static List<QueryAction> all(IdentityReader store, Authorizer authorizer) {
        var actions = new IamCredentialReportActions(new CredentialReportOperations(store));
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
        // AWS's recorded answers: STARTED with a description when it starts a report, COMPLETE alone once it is done;
        // INPROGRESS is the model's state for a report still being made, sent without a description.
        return switch (reports.generateCredentialReport(call.accountId(), call.metadata().receivedAt())) {
            case STARTED -> ActionResult.of(xml -> xml.element("State", "STARTED")
                    .element("Description", STARTED_DESCRIPTION), Map.of());
            case IN_PROGRESS -> ActionResult.of(xml -> xml.element("State", "INPROGRESS"), Map.of());
            case COMPLETE -> ActionResult.of(xml -> xml.element("State", "COMPLETE"), Map.of());
        };
    }

    private ActionResult getCredentialReport(IamCall call, Struct input) {
        CredentialReport report = reports.getCredentialReport(call.accountId());
        return ActionResult.of(xml -> xml.element("Content", Base64.getEncoder()
                        .encodeToString(report.csv().getBytes(UTF_8)))
                .element("ReportFormat", REPORT_FORMAT)
                .element("GeneratedTime", report.generatedTime()), Map.of());
    }
}
