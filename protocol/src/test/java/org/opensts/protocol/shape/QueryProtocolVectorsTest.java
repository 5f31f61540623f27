package org.opensts.protocol.shape;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.protocol.testing.BotocoreData;
import org.opensts.protocol.testing.Json;
import org.opensts.protocol.testing.ServiceModel;

/**
 * The awsQuery request vectors ({@code testdata/botocore/protocol-tests/input/query.json}) read backwards: a client
 * serialized each case's {@code params} into {@code serialized.body}; the server must decode that body with
 * {@link QueryParameters} and bind it with {@link QueryBinder} (the shapes built from the case's own model) and get
 * the same values back.
 *
 * <p>Every vector runs except those in {@link #CLIENT_ONLY}, which test only what a client does; each is listed there
 * with its reason, and {@link #clientOnlyExclusions_eachNameOneVectorOfTheFile()} keeps the list to vectors that
 * exist. One reading is adjusted, not excluded: a client sends nothing for an empty map ({@code QueryEmptyQueryMaps}),
 * so the server sees the member absent, and an empty map in {@code params} is expected as absent.
 */
class QueryProtocolVectorsTest {
    /** The vectors not run, by id, each with its reason: what they check happens in the client, before sending. */
    private static final Map<String, String> CLIENT_ONLY = Map.of(
            "AwsQueryEndpointTrait", "the client prefixes the host name",
            "AwsQueryEndpointTraitWithHostLabel", "the client prefixes the host name with a host label",
            "QueryHostWithPath", "the client keeps the path of a custom endpoint",
            "SDKAppliedContentEncoding_awsQuery", "the client gzips the body; the vector carries no body to decode",
            "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsQuery",
            "the client gzips the body; the vector carries no body to decode",
            "QueryProtocolIdempotencyTokenAutoFill", "the client invents the token the body carries");

    /** One request vector. */
    record VectorCase(String id, String operation, String apiVersion, StructureShape input, String body,
            Map<String, Object> params) {

        @Override
        public String toString() {
            return id;
        }
    }

    static Stream<VectorCase> cases() {
        var cases = new ArrayList<VectorCase>();
        for (Object suiteJson : BotocoreData.inputProtocolTests()) {
            Map<String, Object> suite = Json.object(suiteJson);
            String apiVersion = (String) Json.object(suite.get("metadata")).get("apiVersion");
            ServiceModel model = ServiceModel.ofShapes(suite.get("shapes"));
            for (Object caseJson : Json.array(suite.get("cases"))) {
                Map<String, Object> vector = Json.object(caseJson);
                String id = (String) vector.get("id");
                if (CLIENT_ONLY.containsKey(id)) {
                    continue;
                }
                Map<String, Object> given = Json.object(vector.get("given"));
                String operation = (String) given.get("name");
                String body = (String) Json.object(vector.get("serialized")).get("body");
                cases.add(new VectorCase(id, operation, apiVersion, inputShape(model, given, operation), body,
                        Json.object(vector.get("params"))));
            }
        }
        return cases.stream();
    }

    /** The id of every vector in the file, excluded or not. */
    private static List<String> vectorIds() {
        return BotocoreData.inputProtocolTests().stream()
                .flatMap(suite -> Json.array(Json.object(suite).get("cases")).stream())
                .map(vector -> (String) Json.object(vector).get("id"))
                .toList();
    }

    @Test
    void clientOnlyExclusions_eachNameOneVectorOfTheFile() {
        List<String> ids = vectorIds();

        assertThat(ids).doesNotHaveDuplicates();
        CLIENT_ONLY.forEach((id, reason) -> assertThat(ids).as("excluded because %s", reason).contains(id));
        assertThat(cases()).hasSize(ids.size() - CLIENT_ONLY.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bindingTheSerializedBody_givesBackTheClientsParams(VectorCase vector) {
        QueryParameters parameters = QueryParameters.builder().addForm(vector.body()).build();

        Struct bound = QueryBinder.bind(vector.input(), parameters);

        assertThat(parameters.get("Action")).contains(vector.operation());
        assertThat(parameters.get("Version")).contains(vector.apiVersion());
        assertThat(plain(bound)).isEqualTo(expected(vector.input(), vector.params()));
    }

    private static StructureShape inputShape(ServiceModel model, Map<String, Object> given, String operation) {
        Object input = given.get("input");
        if (input == null) {
            return StructureShape.empty(operation + "Input");
        }
        return (StructureShape) model.toShape((String) Json.object(input).get("shape"));
    }

    /** A bound value in plain Java for comparison: structs as maps, blobs as base64 text. */
    private static Object plain(Object value) {
        if (value instanceof Struct struct) {
            var members = new LinkedHashMap<String, Object>();
            struct.asMap().forEach((name, member) -> members.put(name, plain(member)));
            return members;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(QueryProtocolVectorsTest::plain).toList();
        }
        if (value instanceof Map<?, ?> map) {
            var entries = new LinkedHashMap<Object, Object>();
            map.forEach((key, entry) -> entries.put(key, plain(entry)));
            return entries;
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value;
    }

    /** The client's params in the types the binder produces for {@code shape}, in the form {@link #plain} gives. */
    private static Object expected(Shape shape, Object param) {
        if (shape instanceof StructureShape structure) {
            var members = new LinkedHashMap<String, Object>();
            Json.object(param).forEach((name, value) -> {
                // A client writes nothing for an empty map, so the server cannot see one.
                if (!(value instanceof Map<?, ?> map && map.isEmpty() && isMap(structure, name))) {
                    members.put(name, expected(structure.member(name).orElseThrow().shape(), value));
                }
            });
            return members;
        }
        if (shape instanceof ListShape list) {
            return Json.array(param).stream().map(element -> expected(list.member(), element)).toList();
        }
        if (shape instanceof MapShape map) {
            var entries = new LinkedHashMap<Object, Object>();
            Json.object(param).forEach((key, value) -> entries.put(key, expected(map.value(), value)));
            return entries;
        }
        return expectedScalar(((ScalarShape) shape).type(), param);
    }

    private static boolean isMap(StructureShape structure, String member) {
        return structure.member(member).map(m -> m.shape() instanceof MapShape).orElse(false);
    }

    private static Object expectedScalar(ScalarType type, Object param) {
        return switch (type) {
            case STRING -> (String) param;
            case BOOLEAN -> (Boolean) param;
            case INTEGER -> ((BigDecimal) param).intValueExact();
            case LONG -> ((BigDecimal) param).longValueExact();
            // Non-finite values travel as the strings "NaN", "Infinity" and "-Infinity".
            case FLOAT -> param instanceof String text ? Float.valueOf(text) : ((BigDecimal) param).floatValue();
            case DOUBLE -> param instanceof String text ? Double.valueOf(text) : ((BigDecimal) param).doubleValue();
            case TIMESTAMP -> epochSeconds((BigDecimal) param);
            // A blob's params hold the raw data as text; the body carries it in base64.
            case BLOB -> Base64.getEncoder().encodeToString(((String) param).getBytes(UTF_8));
        };
    }

    private static Instant epochSeconds(BigDecimal seconds) {
        BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
        return Instant.ofEpochSecond(whole.longValueExact(), seconds.subtract(whole).movePointRight(9).intValue());
    }
}
