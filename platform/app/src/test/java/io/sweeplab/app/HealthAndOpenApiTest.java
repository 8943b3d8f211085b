package io.sweeplab.app;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TestPlatform.class)
class HealthAndOpenApiTest {

    @Test
    void ready_when_database_and_plugins_are() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("plugins", "Database connections health check"))
                .body("checks.find { it.name == 'plugins' }.data.refused", equalTo(3));
    }

    @Test
    void serves_the_openapi_document() {
        given().accept("application/json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("info.title", equalTo("Sweeplab API"))
                .body("paths.'/api/plugins'.get", notNullValue())
                .body("paths.'/api/teams'.post", notNullValue())
                .body("paths.'/api/teams/{team}/experiments'.post", notNullValue());
    }
}
