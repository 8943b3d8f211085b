package io.sweeplab.app.team;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sweeplab.app.TestPlatform;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TestPlatform.class)
class TeamResourceTest {

    @Test
    void creates_and_lists_teams_and_experiments() {
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"Vision Lab Zürich\"}")
                .post("/api/teams")
                .then()
                .statusCode(201)
                .header("Location", endsWith("/api/teams/vision-lab-zurich"))
                .body("slug", equalTo("vision-lab-zurich"))
                .body("name", equalTo("Vision Lab Zürich"))
                .body("id", notNullValue())
                .body("createdAt", notNullValue());

        given().get("/api/teams").then().statusCode(200).body("slug", hasItem("vision-lab-zurich"));
        given().get("/api/teams/vision-lab-zurich").then().statusCode(200).body("name", equalTo("Vision Lab Zürich"));

        int id = given().contentType(ContentType.JSON)
                .body("{\"name\": \"Dense vs CNN\", \"description\": \"the lab's baseline\"}")
                .post("/api/teams/vision-lab-zurich/experiments")
                .then()
                .statusCode(201)
                .body("team", equalTo("vision-lab-zurich"))
                .body("project", equalTo("default"))
                .body("description", equalTo("the lab's baseline"))
                .extract()
                .path("id");

        given().contentType(ContentType.JSON)
                .body("{\"name\": \"Filters\", \"project\": \"exercises\"}")
                .post("/api/teams/vision-lab-zurich/experiments")
                .then()
                .statusCode(201)
                .body("project", equalTo("exercises"));

        given().get("/api/teams/vision-lab-zurich/experiments")
                .then()
                .statusCode(200)
                .body("name", equalTo(java.util.List.of("Dense vs CNN", "Filters")));
        given().get("/api/teams/vision-lab-zurich/experiments/" + id)
                .then()
                .statusCode(200)
                .body("name", equalTo("Dense vs CNN"));
    }

    @Test
    void experiments_are_scoped_to_their_team() {
        given().contentType(ContentType.JSON)
                .body("{\"slug\": \"team-a\", \"name\": \"A\"}")
                .post("/api/teams")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body("{\"slug\": \"team-b\", \"name\": \"B\"}")
                .post("/api/teams")
                .then()
                .statusCode(201);
        int id = given().contentType(ContentType.JSON)
                .body("{\"name\": \"secret\"}")
                .post("/api/teams/team-a/experiments")
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        given().get("/api/teams/team-b/experiments/" + id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("no experiment " + id + " in team 'team-b'"));
        given().get("/api/teams/team-b/experiments").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void duplicates_are_409_naming_the_field() {
        given().contentType(ContentType.JSON)
                .body("{\"slug\": \"dup-team\", \"name\": \"Dup\"}")
                .post("/api/teams")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body("{\"slug\": \"dup-team\", \"name\": \"Dup again\"}")
                .post("/api/teams")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("field", equalTo("slug"))
                .body("detail", equalTo("a team with slug 'dup-team' already exists"));

        given().contentType(ContentType.JSON)
                .body("{\"name\": \"same\"}")
                .post("/api/teams/dup-team/experiments")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"same\"}")
                .post("/api/teams/dup-team/experiments")
                .then()
                .statusCode(409)
                .body("field", equalTo("name"));
    }
}
