package io.sweeplab.app.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sweeplab.app.TestPlatform;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input gets a 4xx problem+json naming the field; never a 500, never an empty body. */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class ProblemJsonTest {

    @BeforeEach
    void team() {
        int status = given().contentType(ContentType.JSON)
                .body("{\"slug\": \"problems\", \"name\": \"Problems\"}")
                .post("/api/teams")
                .statusCode();
        org.assertj.core.api.Assertions.assertThat(status).isIn(201, 409);
    }

    @ParameterizedTest(name = "{0} {1} -> {3} {4}")
    @CsvSource(delimiter = '|', textBlock = """
            /api/teams                      | {"name": 123}                         | 400 | name        | must be a string, not 123
            /api/teams                      | {"name": true}                        | 400 | name        | must be a string, not true
            /api/teams                      | {"name": "x", "colour": "red"}        | 400 | colour      | unknown field; known: name, slug
            /api/teams                      | {}                                    | 400 | name        | is required
            /api/teams                      | {"name": "   "}                       | 400 | name        | is required
            /api/teams                      | {"name": "Ok", "slug": "Not OK"}      | 400 | slug        | must be 2 to 40 lower-case letters, digits and dashes, starting with a letter or digit
            /api/teams                      | {"name": "!!!"}                       | 400 | slug        | cannot be derived from the name; give one
            /api/teams                      | [1, 2]                                | 400 | body        | must be an object
            /api/teams                      | "text"                                | 400 | body        | must be an object
            /api/teams                      | {"name": "x"} {"name": "y"}           | 400 | body        | is not valid JSON
            /api/teams                      | {"name": "x",                         | 400 | body        | is not valid JSON
            /api/teams/problems/experiments | {"name": ["a"]}                       | 400 | name        | must be a string
            /api/teams/problems/experiments | {"name": "e", "project": "Bad Slug"}  | 400 | project     | must be 1 to 40 lower-case letters, digits and dashes, starting with a letter or digit
            /api/teams/problems/experiments | {"description": "no name"}            | 400 | name        | is required
            /api/teams/nobody/experiments   | {"name": "e"}                         | 404 |             |
            """)
    void bad_bodies(String path, String body, int status, String field, String message) {
        var then = given().contentType(ContentType.JSON).body(body).post(path).then();
        then.statusCode(status).contentType("application/problem+json").body("status", equalTo(status));
        if (field != null) {
            then.body("field", equalTo(field)).body("errors[0].field", equalTo(field));
            if (field.equals("body") && message.equals("is not valid JSON")) {
                then.body("errors[0].message", equalTo(message))
                        .body("detail", startsWith("the body is not valid JSON"));
            } else {
                then.body("errors[0].message", equalTo(message));
            }
        }
    }

    @Test
    void an_empty_body_is_a_400() {
        given().contentType(ContentType.JSON)
                .post("/api/teams")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("body"));
    }

    @Test
    void unknown_paths_methods_and_media_types_are_problems_too() {
        given().get("/api/nothing-here").then().statusCode(404).contentType("application/problem+json");
        given().delete("/api/teams").then().statusCode(405).contentType("application/problem+json");
        given().contentType(ContentType.TEXT)
                .body("name=x")
                .post("/api/teams")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        given().get("/api/teams/problems/experiments/not-a-number")
                .then()
                .statusCode(404)
                .body("detail", containsString("not-a-number"));
        given().get("/api/teams/problems/experiments/99999999999999999999")
                .then()
                .statusCode(404);
    }

    static long experiment() {
        return ((Number) given().contentType(ContentType.JSON)
                        .body("{\"name\": \"e" + System.nanoTime() + "\"}")
                        .post("/api/teams/problems/experiments")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
    }

    @Test
    void nul_characters_are_refused_naming_the_field_before_they_reach_the_database() {
        given().urlEncodingEnabled(false)
                .get("/api/teams/a%00b")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("team"));
        given().urlEncodingEnabled(false)
                .get("/api/users/%00")
                .then()
                .statusCode(400)
                .body("field", equalTo("user"));
        given().urlEncodingEnabled(false)
                .get("/api/runs?experiment=1%00")
                .then()
                .statusCode(400)
                .body("field", equalTo("experiment"));
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"e\", \"description\": \"a\\u0000b\"}")
                .post("/api/teams/problems/experiments")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("description"))
                .body("errors[0].message", equalTo("must not contain NUL characters (\\u0000)"));
        // inside a free-form object too: a sweep's base
        given().contentType(ContentType.JSON)
                .body("{\"experiment\": " + experiment()
                        + ", \"name\": \"n\", \"base\": {\"architecture\": \"a\\u0000\"}," + " \"grid\": {}}")
                .post("/api/sweeps")
                .then()
                .statusCode(400)
                .body("field", equalTo("base.architecture"));
    }

    @Test
    void a_field_given_twice_is_a_400_naming_it() {
        given().contentType(ContentType.JSON)
                .body("{\"role\": \"viewer\", \"role\": \"owner\"}")
                .put("/api/teams/problems/members/admin")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("role"))
                .body("errors[0].message", equalTo("is given more than once"));
        given().contentType(ContentType.JSON)
                .body("{\"experiment\": 1, \"name\": \"n\", \"base\": {\"epochs\": 1, \"epochs\": 2}, \"grid\": {}}")
                .post("/api/sweeps")
                .then()
                .statusCode(400)
                .body("field", equalTo("base.epochs"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"name": "x"} {"name": "y"}   | it has more after the first JSON value
            {"name": "x"                  | it ends before the JSON value is complete
            {"name": NaN}                 | it has the unknown word
            {"name": @}                   | it has an unexpected character
            {"name": 01}                  | it has a malformed number
            """)
    void a_body_that_is_not_json_is_described_in_words(String body, String reason) {
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/api/teams")
                .then()
                .statusCode(400)
                .body("detail", startsWith("the body is not valid JSON: " + reason))
                .body("detail", not(containsString("`")));
    }

    @Test
    void limits_of_the_json_reader_are_described_without_naming_its_classes() {
        // free-form objects (a sweep's base) are read to the end, where the reader's limits apply
        String deep = "{\"base\": " + "{\"a\": ".repeat(2000) + "1" + "}".repeat(2001);
        String digits = "{\"base\": {\"epochs\": " + "1".repeat(2000) + "}}";
        for (String[] c :
                new String[][] {{deep, "it is nested too deeply"}, {digits, "it has a number with too many digits"}}) {
            String detail = given().contentType(ContentType.JSON)
                    .body(c[0])
                    .post("/api/sweeps")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .extract()
                    .path("detail");
            org.assertj.core.api.Assertions.assertThat(detail)
                    .startsWith("the body is not valid JSON: " + c[1])
                    .doesNotContain("StreamReadConstraints", "Feature", "io.sweeplab", "com.fasterxml");
        }
        given().contentType(ContentType.JSON)
                .body("{\"experiment\": 99999999999999999999, \"architecture\": \"dense\"}")
                .post("/api/runs")
                .then()
                .statusCode(400)
                .body("field", equalTo("experiment"))
                .body("errors[0].message", equalTo("is out of range"));
        given().contentType(ContentType.JSON)
                .body("{\"experiment\": 1, \"architecture\": \"dense\"} []")
                .post("/api/runs")
                .then()
                .statusCode(400)
                .body("detail", not(containsString("RunRequest")))
                .body("detail", not(containsString("DeserializationFeature")));
    }

    @Test
    void ids_have_one_spelling() {
        long id = experiment();
        String arabic = Long.toString(id)
                .chars()
                .mapToObj(c -> java.net.URLEncoder.encode(
                        String.valueOf((char) ('\u0660' + (c - '0'))), java.nio.charset.StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining());
        given().get("/api/teams/problems/experiments/" + id).then().statusCode(200);
        for (String other : new String[] {"+" + id, "0" + id, arabic, id + "%20", "%20" + id}) {
            given().urlEncodingEnabled(false)
                    .get("/api/teams/problems/experiments/" + other)
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json");
            given().urlEncodingEnabled(false)
                    .get("/api/runs?experiment=" + other)
                    .then()
                    .statusCode(400)
                    .body("field", equalTo("experiment"));
        }
    }

    @Test
    void errors_stay_short_however_long_the_request() {
        StringBuilder callbacks = new StringBuilder("[");
        for (int i = 0; i < 10_000; i++) {
            callbacks
                    .append(i == 0 ? "" : ",")
                    .append("{\"id\": \"nope")
                    .append(i)
                    .append("\"}");
        }
        callbacks.append(']');
        String many = given().contentType(ContentType.JSON)
                .body("{\"experiment\": " + experiment() + ", \"architecture\": \"dense\", \"callbacks\": " + callbacks
                        + "}")
                .post("/api/runs")
                .then()
                .statusCode(400)
                .body("field", equalTo("callbacks"))
                .body("errors[0].message", equalTo("must have at most 20 entries, not 10000"))
                .extract()
                .asString();
        org.assertj.core.api.Assertions.assertThat(many).hasSizeLessThan(4096);
        String echoed = given().contentType(ContentType.JSON)
                .body("{\"experiment\": " + experiment() + ", \"architecture\": \"" + "x".repeat(100_000) + "\"}")
                .post("/api/runs")
                .then()
                .statusCode(400)
                .body("field", equalTo("architecture"))
                .extract()
                .asString();
        org.assertj.core.api.Assertions.assertThat(echoed).hasSizeLessThan(4096);
    }
}
