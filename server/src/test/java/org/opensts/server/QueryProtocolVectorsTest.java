package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.testing.BotocoreData;
import org.opensts.protocol.testing.Json;
import org.opensts.protocol.testing.ServiceModel;
import org.opensts.protocol.testing.Xml;
import org.w3c.dom.Element;

/**
 * The awsQuery response vectors ({@code spec/botocore/protocol-tests/output/query.json}) written by our side: each
 * case's {@code result} goes through {@link XmlWriter}, following the case's shapes, inside the envelope that
 * {@link ResponseRenderer} writes; error cases go through {@link ResponseRenderer#error}.
 *
 * <p>Our body and the vector's are compared as a client reads them: both are parsed following the output shape into
 * values (structure members and map entries by name, in any order; list elements in order; timestamps as instants
 * whatever their offset; numbers by value), and every element must be one the shape names. Client parsers read
 * elements by local name, so namespaces on nested elements are not compared; our writer puts the namespace on the
 * root only, and no STS or IAM output shape declares another. The vector's result itself must read the same, which
 * checks the reading.
 *
 * <p>Every vector runs except those in {@link #EXCLUDED}, each listed there with its reason;
 * {@link #exclusions_eachNameOneVectorOfTheFile()} keeps the list to vectors that exist.
 *
 * <p>Error vectors use codes of their own test service ({@code InvalidGreeting}, {@code Customized}), which our closed
 * {@link ErrorCode} table does not have: each is rendered with a code of ours of the same fault, and the envelope
 * must be the vector's element for element, with our code in {@code <Code>}.
 */
class QueryProtocolVectorsTest {
    private static final String REQUEST_ID = "foo-id";
    /** The vectors not run, by id, each with its reason: they expect what our STS and IAM responses never carry. */
    private static final Map<String, String> EXCLUDED = Map.of(
            "AwsQueryDateTimeWithFractionalSeconds",
            "fractional seconds in a timestamp: we write whole seconds on purpose, as STS writes Expiration",
            "QueryComplexError", "an error with modelled members beyond Message: STS and IAM errors carry only a"
                    + " message, and ApiException only a code and a message");

    /**
     * One response vector.
     *
     * @param output     the output shape's name, absent for an operation without output
     * @param result     the values the client must read, for a success
     * @param errorCode  the code the client must read, for an error
     * @param body       the response body, absent when the vector asserts none
     */
    record VectorCase(String id, String operation, ServiceModel shapes, Optional<String> output,
            Map<String, Object> result, Optional<String> errorCode, Optional<String> errorMessage,
            Optional<String> body) {

        @Override
        public String toString() {
            return id;
        }
    }

    static Stream<VectorCase> cases() {
        var cases = new ArrayList<VectorCase>();
        for (Object suiteJson : BotocoreData.outputProtocolTests()) {
            Map<String, Object> suite = Json.object(suiteJson);
            ServiceModel shapes = ServiceModel.ofShapes(suite.get("shapes"));
            for (Object caseJson : Json.array(suite.get("cases"))) {
                Map<String, Object> vector = Json.object(caseJson);
                Map<String, Object> given = Json.object(vector.get("given"));
                String id = (String) vector.get("id");
                if (EXCLUDED.containsKey(id)) {
                    continue;
                }
                Optional<String> output = Optional.ofNullable(given.get("output"))
                        .map(reference -> (String) Json.object(reference).get("shape"));
                Map<String, Object> response = Json.object(vector.get("response"));
                cases.add(new VectorCase(id, (String) given.get("name"), shapes, output,
                        vector.containsKey("result") ? Json.object(vector.get("result")) : Map.of(),
                        Optional.ofNullable((String) vector.get("errorCode")),
                        Optional.ofNullable((String) vector.get("errorMessage")),
                        Optional.ofNullable((String) response.get("body"))));
            }
        }
        return cases.stream();
    }

    /** The id of every vector in the file, excluded or not. */
    private static List<String> vectorIds() {
        return BotocoreData.outputProtocolTests().stream()
                .flatMap(suite -> Json.array(Json.object(suite).get("cases")).stream())
                .map(vector -> (String) Json.object(vector).get("id"))
                .toList();
    }

    @Test
    void exclusions_eachNameOneVectorOfTheFile() {
        List<String> ids = vectorIds();

        assertThat(ids).doesNotHaveDuplicates();
        EXCLUDED.forEach((id, reason) -> assertThat(ids).as("excluded for %s", reason).contains(id));
        assertThat(cases()).hasSize(ids.size() - EXCLUDED.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ourResponse_readsAsTheVectorsResponse(VectorCase vector) {
        if (vector.errorCode().isPresent()) {
            assertErrorEnvelope(vector);
            return;
        }
        ActionResult result = vector.output()
                .map(shape -> ActionResult.of(xml -> new ShapeWriter(vector.shapes()).members(xml, shape,
                        vector.result()), Map.of()))
                .orElse(ActionResult.empty());

        QueryResponse response = ResponseRenderer.success(ApiVersion.STS, vector.operation(), result, REQUEST_ID);

        Element ours = Xml.parse(response.body());
        assertThat(response.httpStatus()).isEqualTo(200);
        assertThat(ours.getLocalName()).isEqualTo(vector.operation() + "Response");
        assertThat(Xml.child(Xml.child(ours, "ResponseMetadata"), "RequestId").getTextContent())
                .isEqualTo(REQUEST_ID);
        Optional<Object> ourValues = readResult(vector, ours);
        assertThat(ourValues).isEqualTo(vector.output().map(shape -> expected(vector, shape)));
        vector.body().filter(body -> !body.isEmpty()).ifPresent(body -> {
            Element theirs = Xml.parse(body);
            assertThat(theirs.getLocalName()).isEqualTo(ours.getLocalName());
            assertThat(readResult(vector, theirs)).as("the vector's body, read the same way").isEqualTo(ourValues);
        });
    }

    private static void assertErrorEnvelope(VectorCase vector) {
        ErrorCode ourCode = ErrorCode.VALIDATION_ERROR;
        Element theirs = Xml.parse(vector.body().orElseThrow());
        Element theirError = Xml.child(theirs, "Error");
        assertThat(Xml.child(theirError, "Code").getTextContent()).isEqualTo(vector.errorCode().orElseThrow());
        assertThat(Xml.child(theirError, "Type").getTextContent()).isEqualTo(ourCode.fault().wireName());

        QueryResponse response = ResponseRenderer.error(ApiVersion.STS,
                new ApiException(ourCode, vector.errorMessage().orElseThrow()), REQUEST_ID);

        Element ours = Xml.parse(response.body());
        assertThat(Xml.child(Xml.child(ours, "Error"), "Code").getTextContent()).isEqualTo(ourCode.code());
        assertThat(Xml.outline(ours).replace("Code=" + ourCode.code(), "Code=" + vector.errorCode().orElseThrow()))
                .isEqualTo(Xml.outline(theirs));
    }

    private static Optional<Object> readResult(VectorCase vector, Element response) {
        List<Element> results = Xml.children(response, vector.operation() + "Result");
        assertThat(Xml.children(response)).as("children of the response")
                .allSatisfy(child -> assertThat(child.getLocalName())
                        .isIn(vector.operation() + "Result", "ResponseMetadata"));
        if (vector.output().isEmpty()) {
            assertThat(results).as("result element of an operation without output").isEmpty();
            return Optional.empty();
        }
        assertThat(results).hasSize(1);
        return Optional.of(new ResultReader(vector.shapes()).structure(vector.output().get(), results.get(0)));
    }

    /** The vector's {@code result} in the values {@link ResultReader} gives. */
    private static Object expected(VectorCase vector, String shape) {
        return new Expected(vector.shapes()).value(shape, Map.of(), vector.result());
    }

    /** The timestamp format of a member: its own trait, else its shape's, else ISO 8601. */
    private static String timestampFormat(Map<String, Object> reference, Map<String, Object> shape) {
        return (String) reference.getOrDefault("timestampFormat", shape.getOrDefault("timestampFormat", "iso8601"));
    }

    private static String elementName(Map<String, Object> reference, String defaultName) {
        return (String) reference.getOrDefault("locationName", defaultName);
    }

    private static boolean flattened(Map<String, Object> reference, Map<String, Object> shape) {
        return Boolean.TRUE.equals(reference.get("flattened")) || Boolean.TRUE.equals(shape.get("flattened"));
    }

    private static Instant instant(BigDecimal epochSeconds) {
        BigDecimal whole = epochSeconds.setScale(0, RoundingMode.FLOOR);
        return Instant.ofEpochSecond(whole.longValueExact(), epochSeconds.subtract(whole).movePointRight(9)
                .intValue());
    }

    /** Writes a result with {@link XmlWriter} as the server would, following the awsQuery rules for each shape. */
    private record ShapeWriter(ServiceModel shapes) {

        void members(ResultWriter xml, String structureShape, Map<String, Object> value) {
            Json.object(shapes.shape(structureShape).get("members")).forEach((name, referenceJson) -> {
                if (value.containsKey(name)) {
                    Map<String, Object> reference = Json.object(referenceJson);
                    write(xml, elementName(reference, name), reference, value.get(name));
                }
            });
        }

        private void write(ResultWriter xml, String element, Map<String, Object> reference, Object value) {
            String shapeName = (String) reference.get("shape");
            Map<String, Object> shape = shapes.shape(shapeName);
            switch ((String) shape.get("type")) {
                case "structure" -> {
                    xml.start(element);
                    members(xml, shapeName, Json.object(value));
                    xml.end();
                }
                case "list" -> list(xml, element, reference, shape, Json.array(value));
                case "map" -> map(xml, element, reference, shape, Json.object(value));
                case "string" -> xml.element(element, (String) value);
                case "boolean" -> xml.element(element, (boolean) (Boolean) value);
                case "integer", "long" -> xml.element(element, ((BigDecimal) value).longValueExact());
                case "float" -> xml.element(element, value instanceof String text ? text
                        : Float.toString(((BigDecimal) value).floatValue()));
                case "double" -> xml.element(element, value instanceof String text ? text
                        : Double.toString(((BigDecimal) value).doubleValue()));
                case "blob" -> xml.element(element, Base64.getEncoder().encodeToString(((String) value)
                        .getBytes(UTF_8)));
                case "timestamp" -> timestamp(xml, element, timestampFormat(reference, shape), (BigDecimal) value);
                default -> throw new IllegalArgumentException("Unexpected type in " + shapeName);
            }
        }

        private void list(ResultWriter xml, String element, Map<String, Object> reference, Map<String, Object> shape,
                List<Object> elements) {
            Map<String, Object> member = Json.object(shape.get("member"));
            if (flattened(reference, shape)) {
                // A flattened list repeats the member's own element, named as the member of the structure.
                elements.forEach(each -> write(xml, element, member, each));
                return;
            }
            xml.startList(element);
            elements.forEach(each -> write(xml, elementName(member, "member"), member, each));
            xml.end();
        }

        private void map(ResultWriter xml, String element, Map<String, Object> reference, Map<String, Object> shape,
                Map<String, Object> entries) {
            Map<String, Object> key = Json.object(shape.get("key"));
            Map<String, Object> value = Json.object(shape.get("value"));
            boolean flattened = flattened(reference, shape);
            if (!flattened) {
                xml.startMap(element);
            }
            entries.forEach((entryKey, entryValue) -> {
                xml.start(flattened ? element : "entry");
                write(xml, elementName(key, "key"), key, entryKey);
                write(xml, elementName(value, "value"), value, entryValue);
                xml.end();
            });
            if (!flattened) {
                xml.end();
            }
        }

        private static void timestamp(ResultWriter xml, String element, String format, BigDecimal epochSeconds) {
            Instant instant = instant(epochSeconds);
            switch (format) {
                case "iso8601" -> xml.element(element, instant);
                case "unixTimestamp" -> xml.element(element, epochSeconds.toPlainString());
                case "rfc822" -> xml.element(element, DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        instant.atOffset(ZoneOffset.UTC)));
                default -> throw new IllegalArgumentException("Unexpected timestamp format " + format);
            }
        }
    }

    /**
     * Reads a result element as a client does, following the shape, into plain values: structures and maps as
     * {@code Map}, lists as {@code List}, integers as {@code Long}, floats as {@code Double}, timestamps as
     * {@link Instant}, blobs as base64 text. An element the shape does not name fails the reading.
     */
    private record ResultReader(ServiceModel shapes) {

        Map<String, Object> structure(String shapeName, Element element) {
            Map<String, Object> members = Json.object(shapes.shape(shapeName).get("members"));
            var known = new ArrayList<String>();
            var values = new LinkedHashMap<String, Object>();
            members.forEach((name, referenceJson) -> {
                Map<String, Object> reference = Json.object(referenceJson);
                String elementName = elementName(reference, name);
                known.add(elementName);
                List<Element> found = Xml.children(element, elementName);
                Map<String, Object> target = shapes.shape((String) reference.get("shape"));
                if (!found.isEmpty() && flattened(reference, target)) {
                    values.put(name, flattenedValue(reference, target, found));
                } else if (!found.isEmpty()) {
                    assertThat(found).as("<" + elementName + "> in <" + element.getLocalName() + ">").hasSize(1);
                    values.put(name, value(reference, found.get(0)));
                }
            });
            assertThat(Xml.children(element)).as("children of <" + element.getLocalName() + ">")
                    .allSatisfy(child -> assertThat(known).contains(child.getLocalName()));
            return values;
        }

        private Object flattenedValue(Map<String, Object> reference, Map<String, Object> shape,
                List<Element> elements) {
            if ("list".equals(shape.get("type"))) {
                Map<String, Object> member = Json.object(shape.get("member"));
                return elements.stream().map(each -> value(member, each)).toList();
            }
            var entries = new LinkedHashMap<Object, Object>();
            elements.forEach(entry -> readEntry(shape, entry, entries));
            return entries;
        }

        private Object value(Map<String, Object> reference, Element element) {
            String shapeName = (String) reference.get("shape");
            Map<String, Object> shape = shapes.shape(shapeName);
            String text = element.getTextContent();
            return switch ((String) shape.get("type")) {
                case "structure" -> structure(shapeName, element);
                case "list" -> {
                    Map<String, Object> member = Json.object(shape.get("member"));
                    String memberName = elementName(member, "member");
                    assertThat(Xml.children(element)).allSatisfy(child -> assertThat(child.getLocalName())
                            .isEqualTo(memberName));
                    yield Xml.children(element).stream().map(each -> value(member, each)).toList();
                }
                case "map" -> {
                    var entries = new LinkedHashMap<Object, Object>();
                    Xml.children(element).forEach(entry -> {
                        assertThat(entry.getLocalName()).isEqualTo("entry");
                        readEntry(shape, entry, entries);
                    });
                    yield entries;
                }
                case "string" -> text;
                case "boolean" -> Boolean.valueOf(switchBoolean(text));
                case "integer", "long" -> Long.valueOf(text);
                case "float", "double" -> Double.valueOf(text);
                case "blob" -> Base64.getEncoder().encodeToString(Base64.getDecoder().decode(text));
                case "timestamp" -> readTimestamp(timestampFormat(reference, shape), text);
                default -> throw new IllegalArgumentException("Unexpected type in " + shapeName);
            };
        }

        private void readEntry(Map<String, Object> shape, Element entry, Map<Object, Object> entries) {
            Map<String, Object> key = Json.object(shape.get("key"));
            Map<String, Object> value = Json.object(shape.get("value"));
            String keyName = elementName(key, "key");
            String valueName = elementName(value, "value");
            assertThat(Xml.children(entry)).allSatisfy(child -> assertThat(child.getLocalName())
                    .isIn(keyName, valueName));
            entries.put(value(key, Xml.child(entry, keyName)), value(value, Xml.child(entry, valueName)));
        }

        private static boolean switchBoolean(String text) {
            assertThat(text).isIn("true", "false");
            return text.equals("true");
        }

        private static Instant readTimestamp(String format, String text) {
            return switch (format) {
                case "iso8601" -> OffsetDateTime.parse(text).toInstant();
                case "unixTimestamp" -> instant(new BigDecimal(text));
                case "rfc822" -> OffsetDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                default -> throw new IllegalArgumentException("Unexpected timestamp format " + format);
            };
        }
    }

    /** A vector's {@code result} (as JSON) in the values {@link ResultReader} gives. */
    private record Expected(ServiceModel shapes) {

        Object value(String shapeName, Map<String, Object> reference, Object json) {
            Map<String, Object> shape = shapes.shape(shapeName);
            return switch ((String) shape.get("type")) {
                case "structure" -> {
                    var values = new LinkedHashMap<String, Object>();
                    Map<String, Object> members = Json.object(shape.get("members"));
                    Json.object(json).forEach((name, member) -> {
                        Map<String, Object> memberReference = Json.object(members.get(name));
                        values.put(name, value((String) memberReference.get("shape"), memberReference, member));
                    });
                    yield values;
                }
                case "list" -> {
                    Map<String, Object> member = Json.object(shape.get("member"));
                    yield Json.array(json).stream().map(each -> value((String) member.get("shape"), member, each))
                            .toList();
                }
                case "map" -> {
                    Map<String, Object> value = Json.object(shape.get("value"));
                    var entries = new LinkedHashMap<Object, Object>();
                    Json.object(json).forEach((key, each) -> entries.put(key, value((String) value.get("shape"),
                            value, each)));
                    yield entries;
                }
                case "string", "boolean" -> json;
                case "integer", "long" -> ((BigDecimal) json).longValueExact();
                case "float", "double" -> json instanceof String text ? Double.valueOf(text)
                        : Double.valueOf(((BigDecimal) json).doubleValue());
                case "blob" -> Base64.getEncoder().encodeToString(((String) json).getBytes(UTF_8));
                case "timestamp" -> instant((BigDecimal) json);
                default -> throw new IllegalArgumentException("Unexpected type in " + shapeName);
            };
        }
    }
}
