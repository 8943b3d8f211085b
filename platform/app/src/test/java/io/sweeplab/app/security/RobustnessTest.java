package io.sweeplab.app.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweeplab.app.TestPlatform;
import io.sweeplab.app.security.SecurityMatrixTest.Persona;
import io.sweeplab.app.worker.InProcessWorker;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Hostile input against every operation of the API document: odd path and query values, malformed and mistyped
 * bodies, wrong media types, the sign-in form abused, and requests the HTTP layer refuses. Nothing may answer 5xx,
 * every API error is a short problem+json without class names or stack traces, and nothing takes 5 s.
 *
 * <p>It calls as the owner of the security test's team A (so what it changes stays in that team), as an
 * administrator only for operations no one else may call, and as a worker for the worker protocol.
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class RobustnessTest {

    static final long SEED = 20_240_610L;
    static final Duration LIMIT = Duration.ofSeconds(5);
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory N = JsonNodeFactory.instance;

    /** Java class and library names, stack frames and SQL errors: none belongs in an answer. */
    static final Pattern LEAK = Pattern.compile("\\b(?:io\\.sweeplab|io\\.quarkus|io\\.vertx|io\\.netty|io\\.smallrye"
            + "|com\\.fasterxml|org\\.jboss|org\\.postgresql|java\\.|javax\\.|jakarta\\.)"
            + "|\\bat [\\w$]+\\.[\\w.$]+\\(|Exception\\b|DeserializationFeature|MapperFeature|StreamReadConstraints"
            + "|JsonParser|PSQL|SQLState|\\bERROR:");

    /** Path and query values as they go into the URI (already percent-encoded). */
    static final List<String> ODD_VALUES = List.of(
            "%00",
            "a%00b",
            "+1",
            "01",
            "-1",
            "0",
            "9999999999999999999",
            "%D9%A1", // ARABIC-INDIC DIGIT ONE
            "%DB%B1", // EXTENDED ARABIC-INDIC DIGIT ONE
            "%EF%BC%91", // FULLWIDTH DIGIT ONE
            "1.0",
            "1e2",
            "0x1",
            "%201",
            "1%20",
            "%0A",
            "a%0D%0Ab",
            "%C3%28", // invalid UTF-8
            "%FF",
            "%C0%AF", // overlong UTF-8
            "%E2%80%AE",
            "%F0%9F%98%80",
            "..",
            "%2E%2E",
            "%2F",
            "%5C",
            "null",
            "true",
            "%7B%7D",
            "%3Cscript%3E",
            "'%20OR%20'1'='1",
            "%25",
            "%2500",
            "a".repeat(1500));

    @Inject
    InProcessWorker embedded;

    @Inject
    io.sweeplab.core.access.LoginThrottle throttle;

    @TestHTTPResource("/")
    URL root;

    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    final Random random = new Random(SEED);
    final Stats stats = new Stats();
    final List<String> failures = new ArrayList<>();

    String ownerToken;
    String adminToken;
    String targetUser;
    Duration longPoll;

    @Test
    void no_operation_fails_or_hangs_on_hostile_input() throws Exception {
        SecurityMatrixTest.setUp();
        embedded.pause(true);
        try {
            ownerToken = SecurityMatrixTest.newTokenSecret(Persona.OWNER, "write");
            adminToken = SecurityMatrixTest.newTokenSecret(Persona.ADMIN, "write");
            targetUser = SecurityMatrixTest.newUser();
            SecurityMatrixTest.setRole(SecurityMatrixTest.teamA, targetUser, "viewer");
            longPoll = Duration.ofSeconds(8); // sweeplab.worker.cancel-poll of the tests, and some

            stats.started = System.nanoTime();
            JsonNode api = JSON.readTree(given().get("/q/openapi?format=json").asString());
            Map<String, List<String>> rules = roles();
            int operations = 0;
            for (Iterator<Map.Entry<String, JsonNode>> paths = api.get("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                    Map.Entry<String, JsonNode> op = ops.next();
                    String method = op.getKey().toUpperCase(Locale.ROOT);
                    if (!List.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                        continue;
                    }
                    operations++;
                    fuzz(api, method, path.getKey(), op.getValue(), rules.get(method + " " + path.getKey()));
                }
            }
            assertThat(operations).as("operations in the API document").isGreaterThan(40);
            signInForm();
            httpLayer();

            System.out.println("robustness: " + stats.summary());
            assertThat(stats.sent).as("requests sent").isGreaterThanOrEqualTo(3000);
            assertThat(failures).as(stats.summary()).isEmpty();
            given().auth()
                    .none()
                    .header("Authorization", "Bearer " + ownerToken)
                    .get("/api/me")
                    .then()
                    .statusCode(200);
        } finally {
            // drop what the calls queued (the worker would train it after), and give later tests fresh teams
            for (String team : List.of(SecurityMatrixTest.teamA, SecurityMatrixTest.teamB)) {
                List<Integer> ids = given().get("/api/teams/" + team + "/experiments")
                        .then()
                        .extract()
                        .path("id");
                for (Integer id : ids) {
                    given().delete("/api/teams/" + team + "/experiments/" + id);
                }
            }
            SecurityMatrixTest.teamA = null;
            // every request came from this machine's address: the failed sign-ins must not slow the next tests
            throttle.clear();
            embedded.pause(false);
        }
    }

    /** Someone who is not a worker learns nothing of the worker protocol: not even which media types it takes. */
    @Test
    void the_worker_protocol_checks_the_role_before_media_types() {
        JsonNode api;
        try {
            api = JSON.readTree(given().get("/q/openapi?format=json").asString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> checked = new ArrayList<>();
        api.get("paths").fields().forEachRemaining(path -> {
            if (!path.getKey().startsWith("/api/worker/")) {
                return;
            }
            path.getValue().fieldNames().forEachRemaining(method -> {
                String url = fill(
                        path.getKey(),
                        Map.of("run", "1", "attempt", "1", "epoch", "1", "name", "a", "plugin", "a", "version", "1"));
                // the administrator, who may do anything else
                given().contentType("text/plain")
                        .accept("application/xml")
                        .body("x")
                        .request(method.toUpperCase(Locale.ROOT), url)
                        .then()
                        .statusCode(403)
                        .contentType("application/problem+json");
                checked.add(method + " " + url);
            });
        });
        assertThat(checked).hasSizeGreaterThan(8);
    }

    /** Who calls each operation: rules of the security test, "admin" when only administrators may. */
    static Map<String, List<String>> roles() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        SecurityMatrixTest.rules()
                .forEach((k, r) -> out.put(k, List.of(r.users().split(" "))));
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------

    /** One operation: every path parameter and query parameter with odd values, then its body mutated. */
    void fuzz(JsonNode api, String method, String template, JsonNode op, List<String> rule) {
        String auth;
        if (template.startsWith("/api/worker/")) {
            auth = "Bearer " + TestPlatform.WORKER_TOKEN;
        } else if (rule != null
                && rule.get(2).equals("FORBIDDEN")
                && rule.get(3).equals("OK")) {
            auth = "Bearer " + adminToken;
        } else {
            auth = "Bearer " + ownerToken;
        }
        boolean poll = op.path("summary").asText().startsWith("Long-poll");
        Map<String, String> valid = validPathValues(method, template);
        Body body = body(api, op);
        List<String> query = new ArrayList<>();
        op.path("parameters").forEach(p -> {
            if (p.path("in").asText().equals("query")) {
                query.add(p.get("name").asText());
            }
        });

        for (String param : valid.keySet()) {
            for (String odd : ODD_VALUES) {
                Map<String, String> values = new LinkedHashMap<>(valid);
                values.put(param, odd);
                send(method, fill(template, values), auth, body.type, body.bytes(body.base), poll);
            }
        }
        for (String q : query) {
            for (String odd : ODD_VALUES) {
                send(method, fill(template, valid) + "?" + q + "=" + odd, auth, body.type, body.bytes(body.base), poll);
            }
        }
        String path = fill(template, valid);
        if (body.base == null) {
            // no body expected: send one anyway, and odd media types
            send(method, path, auth, "application/json", bytes("{\"unexpected\": true}"), poll);
            send(method, path, auth, "text/plain", bytes("hello"), poll);
            return;
        }
        for (byte[] whole : wholeBodies(body)) {
            send(method, path, auth, body.type, whole, poll);
        }
        for (String type : List.of(
                "text/plain",
                "application/xml",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "application/json; charset=utf-16",
                "application/octet-stream",
                "*/*",
                "application/json;;;",
                "")) {
            send(method, path, auth, type, body.bytes(body.base), poll);
        }
        if (body.base instanceof ObjectNode base) {
            for (String field : fieldsOf(base, "")) {
                for (JsonNode value : hostileValues()) {
                    send(method, path, auth, body.type, body.bytes(with(base, field, value)), poll);
                }
                send(method, path, auth, body.type, body.bytes(without(base, field)), poll);
            }
        }
    }

    /** Values each path parameter takes when it is not the one under test: objects of team A, or made-up ones. */
    Map<String, String> validPathValues(String method, String template) {
        Map<String, String> out = new LinkedHashMap<>();
        var m = Pattern.compile("\\{([^}]+)}").matcher(template);
        boolean delete = method.equals("DELETE");
        while (m.find()) {
            String name = m.group(1);
            String value = switch (name) {
                case "team" -> SecurityMatrixTest.teamA;
                case "user" -> delete ? newMember() : targetUser;
                case "name" -> template.startsWith("/api/worker/") ? "a" : SecurityMatrixTest.artifactA;
                case "run" -> "999999";
                case "attempt", "epoch" -> "1";
                case "id" -> idFor(method, template);
                case "path" -> SecurityMatrixTest.mlflowFileA;
                default -> "x";
            };
            out.put(name, value);
        }
        return out;
    }

    String idFor(String method, String template) {
        boolean delete = method.equals("DELETE");
        if (template.startsWith("/api/runs/")) {
            return Long.toString(delete ? SecurityMatrixTest.submitRunAs(Persona.OWNER) : SecurityMatrixTest.runA);
        }
        if (template.startsWith("/api/sweeps/")) {
            return Long.toString(delete ? SecurityMatrixTest.newSweep() : SecurityMatrixTest.sweepA);
        }
        if (template.startsWith("/api/teams/")) {
            return Long.toString(delete ? SecurityMatrixTest.newExperiment() : SecurityMatrixTest.experimentA);
        }
        if (template.startsWith("/api/tokens/")) {
            return Long.toString(SecurityMatrixTest.newToken(Persona.OWNER));
        }
        if (template.startsWith("/api/templates/")) {
            return "exercise-1-filters";
        }
        return "robust-no-such-worker";
    }

    String newMember() {
        String user = SecurityMatrixTest.newUser();
        SecurityMatrixTest.setRole(SecurityMatrixTest.teamA, user, "viewer");
        return user;
    }

    static String fill(String template, Map<String, String> values) {
        String out = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The request body an operation takes: its media type and a valid-looking value built from its schema. */
    record Body(String type, JsonNode base) {
        byte[] bytes(JsonNode value) {
            if (value == null) {
                return null;
            }
            if (type.equals("application/octet-stream")) {
                return value.asText().getBytes(StandardCharsets.UTF_8);
            }
            return RobustnessTest.bytes(value.toString());
        }
    }

    Body body(JsonNode api, JsonNode op) {
        JsonNode content = op.path("requestBody").path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            return new Body("application/json", null);
        }
        String type = content.fieldNames().next();
        if (!type.contains("json")) {
            return new Body(type, N.textNode("PK\u0003\u0004 not really a zip"));
        }
        return new Body(type, sample(api, content.get(type).path("schema"), "", 0));
    }

    /** A value of the schema, with known-good values for fields whose meaning the schema cannot tell. */
    JsonNode sample(JsonNode api, JsonNode schema, String field, int depth) {
        JsonNode known = known(field);
        if (known != null) {
            return known;
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            schema = api.at("/components/schemas/" + ref.substring(ref.lastIndexOf('/') + 1));
        }
        if (schema.has("allOf")) {
            schema = schema.get("allOf").get(0);
            return sample(api, schema, field, depth);
        }
        String type = schema.path("type").asText("object");
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        switch (type) {
            case "string":
                return N.textNode("robust");
            case "integer":
                return N.numberNode(1);
            case "number":
                return N.numberNode(0.5);
            case "boolean":
                return N.booleanNode(false);
            case "array":
                return N.arrayNode();
            default:
                ObjectNode o = N.objectNode();
                if (depth < 3) {
                    schema.path("properties")
                            .fields()
                            .forEachRemaining(p -> o.set(p.getKey(), sample(api, p.getValue(), p.getKey(), depth + 1)));
                }
                return o;
        }
    }

    JsonNode known(String field) {
        try {
            return switch (field) {
                case "experiment" -> N.numberNode(SecurityMatrixTest.experimentA);
                case "architecture" -> N.textNode("dense");
                case "epochs" -> N.numberNode(1);
                case "data" -> JSON.readTree("{\"trainLimit\": 100, \"testLimit\": 100}");
                case "base" ->
                    JSON.readTree("{\"architecture\": \"dense\", \"epochs\": 1,"
                            + " \"data\": {\"trainLimit\": 100, \"testLimit\": 100}}");
                case "grid" -> JSON.readTree("{\"seed\": [1, 2]}");
                case "role" -> N.textNode("viewer");
                case "scope" -> N.textNode("read");
                case "password", "newPassword" -> N.textNode("robust-password-123");
                case "disabled", "admin" -> N.booleanNode(false);
                case "slots" -> N.numberNode(1);
                case "runs", "jobs", "callbacks", "visualizers" -> N.arrayNode();
                case "slug" -> N.nullNode();
                default -> null;
            };
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Field paths of an object and of the objects in it, for example {@code data.trainLimit}. */
    static List<String> fieldsOf(ObjectNode o, String prefix) {
        List<String> out = new ArrayList<>();
        o.fields().forEachRemaining(e -> {
            out.add(prefix + e.getKey());
            if (e.getValue() instanceof ObjectNode inner && prefix.isEmpty()) {
                out.addAll(fieldsOf(inner, e.getKey() + "."));
            }
        });
        return out;
    }

    static ObjectNode with(ObjectNode base, String field, JsonNode value) {
        ObjectNode copy = base.deepCopy();
        ObjectNode at = copy;
        String[] parts = field.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            at = (ObjectNode) at.get(parts[i]);
        }
        at.set(parts[parts.length - 1], value);
        return copy;
    }

    static ObjectNode without(ObjectNode base, String field) {
        ObjectNode copy = base.deepCopy();
        ObjectNode at = copy;
        String[] parts = field.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            at = (ObjectNode) at.get(parts[i]);
        }
        at.remove(parts[parts.length - 1]);
        return copy;
    }

    List<JsonNode> hostileValues() {
        List<JsonNode> v = new ArrayList<>();
        v.add(N.nullNode());
        v.add(N.textNode(""));
        v.add(N.textNode("x".repeat(100_000)));
        v.add(N.textNode("a\u0000b"));
        v.add(N.textNode("line\nbreak\r\n\tand\u001b[31m"));
        v.add(N.textNode("\ud800"));
        v.add(N.textNode("\u0661"));
        v.add(N.textNode(randomText(40)));
        v.add(N.numberNode(0));
        v.add(N.numberNode(-1));
        v.add(N.numberNode(1.5));
        v.add(N.numberNode(new java.math.BigInteger("9999999999999999999")));
        v.add(N.numberNode(new java.math.BigDecimal("1e400")));
        v.add(N.numberNode(new java.math.BigInteger("1".repeat(2000))));
        v.add(N.booleanNode(true));
        v.add(N.arrayNode());
        v.add(N.arrayNode().add(1).add("two").addNull());
        v.add(N.objectNode());
        v.add(N.objectNode().put("unknown", 1));
        v.add(nested(600));
        ObjectNode wide = N.objectNode();
        for (int i = 0; i < 70; i++) {
            wide.set("k" + i, N.arrayNode().add(1).add(2));
        }
        v.add(wide);
        ArrayNode many = N.arrayNode();
        for (int i = 0; i < 10_000; i++) {
            many.add(N.objectNode().put("id", "x" + i));
        }
        v.add(many);
        v.add(N.textNode("SUCCEEDED"));
        return v;
    }

    static JsonNode nested(int depth) {
        JsonNode n = N.numberNode(1);
        for (int i = 0; i < depth; i++) {
            n = N.arrayNode().add(n);
        }
        return n;
    }

    String randomText(int length) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) {
            int cp = random.nextInt(0x2FFFF);
            if (Character.isDefined(cp) && !(cp >= 0xD800 && cp <= 0xDFFF)) {
                sb.appendCodePoint(cp);
            }
        }
        return sb.toString();
    }

    List<byte[]> wholeBodies(Body body) {
        List<byte[]> out = new ArrayList<>();
        String valid = body.base.toString();
        out.add(new byte[0]);
        for (String s : List.of(
                "null",
                "[]",
                "1",
                "\"text\"",
                "true",
                "{",
                "}",
                "{}",
                "{}{}",
                valid + " trailing",
                valid + valid,
                "{\"unknown\": 1}",
                "{'single': 'quotes'}",
                "/* comment */ " + valid,
                "{\"a\": NaN}",
                "{\"a\": 01}",
                "[".repeat(100_000),
                "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000),
                "\ufeff" + valid)) {
            out.add(bytes(s));
        }
        if (body.base instanceof ObjectNode o && o.size() > 0) {
            String first = o.fieldNames().next();
            String value = o.get(first).toString();
            out.add(bytes("{\"" + first + "\": " + value + ", \"" + first + "\": " + value + "}"));
        }
        // invalid UTF-8 inside a string, and a raw NUL byte
        byte[] v = bytes(valid);
        for (byte[] bad : List.of(new byte[] {'"', (byte) 0xC3, 0x28, '"'}, new byte[] {'"', 0, '"'})) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(bytes("{\"x\": "));
            b.writeBytes(bad);
            b.writeBytes(bytes("}"));
            out.add(b.toByteArray());
        }
        byte[] noise = new byte[4096];
        random.nextBytes(noise);
        out.add(noise);
        out.add(v);
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** POST /j_security_check as a browser would not: must answer at once, as a failed sign-in or a 400. */
    void signInForm() {
        String form = "application/x-www-form-urlencoded";
        String big = "a".repeat(100_000);
        List<String[]> cases = List.of(
                new String[] {"application/json", "{\"username\": \"admin\", \"password\": \"x\"}"},
                new String[] {form, "password=x"},
                new String[] {form, "username=admin"},
                new String[] {form, ""},
                new String[] {null, null},
                new String[] {form, "username=" + big + "&password=x"},
                new String[] {form, "username=admin&password=" + big},
                new String[] {form, "username=%00&password=x"},
                new String[] {form, "username=adm%00in&password=" + TestPlatform.ADMIN_PASSWORD},
                new String[] {form, "username=%zz&password=%"},
                new String[] {form, "username=admin&username=other&password=x"},
                new String[] {form, "username=admin&password=wrong"},
                new String[] {
                    "multipart/form-data; boundary=x",
                    "--x\r\nContent-Disposition: form-data;" + " name=\"username\"\r\n\r\nadmin\r\n--x--\r\n"
                },
                new String[] {"text/plain", "username=admin&password=x"},
                new String[] {form, "&&&==&"});
        for (String[] c : cases) {
            for (String auth : new String[] {null, "Bearer " + TestPlatform.WORKER_TOKEN}) {
                Result r = send("POST", "/j_security_check", auth, c[0], c[1] == null ? null : bytes(c[1]), false);
                if (r != null && r.status != 400 && !(r.status == 302 && r.location.endsWith("/login?error"))) {
                    failures.add("POST /j_security_check " + c[0] + " " + abbreviate(c[1]) + ": expected 400 or the"
                            + " failed sign-in redirect, got " + r.status + " " + r.location);
                }
            }
        }
        send("GET", "/j_security_check", null, null, null, false);
        send("PUT", "/j_security_check", null, form, bytes("username=a&password=b"), false);
    }

    /**
     * What the HTTP layer refuses before any resource sees it: raw requests, as no well-behaved client sends. Netty's
     * decoder answers a request line or headers over their limits, or a Content-Length that is no number, and Vert.x
     * a malformed %-escape, before any route or failure handler runs, with an empty body that no hook of Quarkus can
     * change (see HttpLayerProblems); those must only not fail or hang.
     */
    void httpLayer() throws IOException {
        String auth = "Authorization: Bearer " + ownerToken + "\r\n";
        boolean decoder = false;
        raw("GET /api/runs/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", decoder);
        raw("GET /api/runs HTTP/1.1\r\nHost: x\r\n" + auth + "X-Big: " + "b".repeat(40_000) + "\r\n\r\n", decoder);
        raw(
                "POST /api/runs HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\n"
                        + "Content-Length: abc\r\n\r\n",
                decoder);
        raw("GET /api/runs/%zz HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", decoder);
        raw("GET /api/runs/%E0%A4%A HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", decoder);
        raw("GET /api/runs?experiment=%zz HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", decoder);
        raw(
                "POST /api/runs HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\n"
                        + "Content-Length: 50000000\r\n\r\n",
                true);
        raw(
                "GET /api/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                        + java.util.Base64.getEncoder()
                                .encodeToString(bytes("adm\u0000in:" + TestPlatform.ADMIN_PASSWORD))
                        + "\r\n\r\n",
                true);
        raw(
                "GET /api/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                        + java.util.Base64.getEncoder().encodeToString(bytes("ad\nmin:" + TestPlatform.ADMIN_PASSWORD))
                        + "\r\n\r\n",
                true);
        raw("GET /api/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Basic !!!\r\n\r\n", true);
        raw("GET /api/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Digest x\r\n\r\n", true);
        raw("BREW /api/runs HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", true);
        raw("GET api/runs HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", false);
    }

    // ---------------------------------------------------------------------------------------------------------

    record Result(int status, String type, String body, String location) {}

    Result send(String method, String path, String auth, String type, byte[] body, boolean poll) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + path));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("a test URI that the client refuses: " + path, e);
        }
        Duration limit = poll ? longPoll : LIMIT;
        b.timeout(limit);
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (type != null && !type.isEmpty()) {
            b.header("Content-Type", type);
        }
        b.method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        String what = method + " " + abbreviate(path) + " [" + type + "] " + abbreviate(body);
        long start = System.nanoTime();
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            stats.record(what, 0, System.nanoTime() - start, poll);
            failures.add(what + ": no answer within " + limit.toSeconds() + " s");
            return null;
        } catch (IOException e) {
            stats.record(what, 0, System.nanoTime() - start, poll);
            failures.add(what + ": " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long nanos = System.nanoTime() - start;
        stats.record(what, r.statusCode(), nanos, poll);
        String contentType = r.headers().firstValue("Content-Type").orElse("");
        String text = new String(r.body(), StandardCharsets.UTF_8);
        check(what, path, r.statusCode(), contentType, text);
        return new Result(
                r.statusCode(),
                contentType,
                text,
                r.headers().firstValue("Location").orElse(""));
    }

    void check(String what, String path, int status, String contentType, String text) {
        if (status >= 500) {
            failures.add(what + ": " + status + " " + abbreviate(text));
        } else if (status >= 400 && path.startsWith("/api")) {
            boolean mlflow = path.startsWith("/api/2.0/mlflow") && contentType.startsWith("application/json");
            if (mlflow && !text.contains("\"error_code\"")) {
                failures.add(
                        what + ": " + status + " is not an MLflow error (error_code, message): " + abbreviate(text));
            } else if (mlflow && LEAK.matcher(text).find()) {
                failures.add(what + ": " + status + " names classes or internals: " + abbreviate(text));
            } else if (mlflow) {
                return; // the MLflow protocol answers errors as MLflow does
            } else if (!contentType.startsWith("application/problem+json")) {
                failures.add(
                        what + ": " + status + " is not problem+json but [" + contentType + "] " + abbreviate(text));
            } else if (LEAK.matcher(text).find()) {
                failures.add(what + ": " + status + " names classes or internals: " + abbreviate(text));
            } else if (text.length() > 64 * 1024) {
                failures.add(what + ": " + status + " has an error of " + text.length() + " characters");
            }
        }
    }

    /** A request written to a socket as is; {@code api}: the answer must be a problem (when the server sent one). */
    void raw(String request, boolean api) throws IOException {
        String what = "raw " + abbreviate(request.replace("\r\n", " "));
        long start = System.nanoTime();
        try (Socket s = new Socket(root.getHost(), root.getPort())) {
            s.setSoTimeout((int) LIMIT.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            try {
                while ((n = in.read(buf)) > 0) {
                    answer.write(buf, 0, n);
                    if (complete(answer.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                if (answer.size() == 0) {
                    stats.record(what, 0, System.nanoTime() - start, false);
                    failures.add(what + ": no answer within " + LIMIT.toSeconds() + " s");
                    return;
                }
            } catch (java.net.SocketException e) {
                // the server may close the connection after answering a request it could not read
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            long nanos = System.nanoTime() - start;
            if (text.isEmpty()) {
                stats.record(what, 0, nanos, false);
                failures.add(what + ": the connection closed without an answer");
                return;
            }
            int status = Integer.parseInt(text.substring(9, 12));
            stats.record(what, status, nanos, false);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            String body = split < 0 ? "" : text.substring(split + 4);
            String type = head.lines()
                    .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-type:"))
                    .map(l -> l.substring(13).strip())
                    .findFirst()
                    .orElse("");
            check(what, api ? "/api" : "/", status, type, body);
        }
    }

    /** Whether an answer read so far is whole (by its Content-Length), so the socket need not wait for a close. */
    static boolean complete(String text) {
        int split = text.indexOf("\r\n\r\n");
        if (split < 0) {
            return false;
        }
        var m = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(text.substring(0, split));
        return m.find() && text.length() - split - 4 >= Integer.parseInt(m.group(1));
    }

    static String abbreviate(Object o) {
        String s = o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
        s = s.replaceAll("\\p{Cntrl}", "?");
        return s.length() > 120 ? s.substring(0, 100) + "...(" + s.length() + ")" : s;
    }

    /** Requests sent, answers by status class, and the slowest (long-polls, which wait on purpose, apart). */
    static final class Stats {
        int sent;
        final int[] byClass = new int[6];
        long slowest;
        String slowestWhat = "";
        int polls;
        long started = System.nanoTime();

        void record(String what, int status, long nanos, boolean poll) {
            sent++;
            byClass[status / 100]++;
            if (poll) {
                polls++;
            } else if (nanos > slowest) {
                slowest = nanos;
                slowestWhat = what;
            }
        }

        String summary() {
            return sent + " requests: " + byClass[2] + " 2xx, " + byClass[3] + " 3xx, " + byClass[4] + " 4xx, "
                    + byClass[5] + " 5xx, " + byClass[0] + " without an answer; slowest " + slowest / 1_000_000
                    + " ms (" + slowestWhat + "); " + polls + " long-polls apart; "
                    + (System.nanoTime() - started) / 1_000_000_000 + " s in all";
        }
    }
}
