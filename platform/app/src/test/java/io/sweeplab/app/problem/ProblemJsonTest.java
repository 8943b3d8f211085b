package io.sweeplab.app.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
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
}
