package io.sweeplab.app.run;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.sweeplab.app.TestPlatform;
import io.sweeplab.app.worker.InProcessWorker;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One member cannot exhaust the shared workers: a run no worker can hold is refused at launch with its memory
 * estimate, and a team has at most {@code sweeplab.team.max-queued-runs} runs queued (4 here; the embedded worker is
 * paused, so every run stays queued).
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
@TestProfile(RunLimitsTest.SmallQueue.class)
class RunLimitsTest {

    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sweeplab.team.max-queued-runs", "4", "sweeplab.runs.max-memory", "2G");
        }
    }

    @Inject
    InProcessWorker embedded;

    long experiment;

    @BeforeEach
    void team() {
        embedded.pause(true);
        String slug = "limits-" + System.nanoTime() % 1_000_000;
        given().contentType(ContentType.JSON)
                .body("{\"slug\": \"" + slug + "\", \"name\": \"" + slug + "\"}")
                .post("/api/teams")
                .then()
                .statusCode(201);
        experiment = ((Number) given().contentType(ContentType.JSON)
                        .body("{\"name\": \"Limits\"}")
                        .post("/api/teams/" + slug + "/experiments")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
    }

    @AfterEach
    void resume() {
        embedded.pause(false);
    }

    String run(String fields) {
        return "{\"experiment\": " + experiment + ", \"architecture\": \"cnn\", \"epochs\": 1" + fields + "}";
    }

    @Test
    void a_run_no_worker_can_hold_is_refused_with_its_estimate_and_the_lab_cnn_is_accepted() {
        given().contentType(ContentType.JSON)
                .body(run(", \"batchSize\": 4096,"
                        + " \"params\": {\"filters\": [1024], \"padding\": \"same\", \"units\": 8192}"))
                .post("/api/runs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("params.filters", "params.padding", "params.units", "batchSize"))
                .body("detail", containsString("74,221 MiB"))
                .body("detail", containsString("2,048 MiB"))
                .body("detail", containsString("sweeplab.runs.max-memory"));
        // the same network in a sweep: the cell and field are named
        given().contentType(ContentType.JSON)
                .body("{\"experiment\": " + experiment
                        + ", \"name\": \"too big\", \"base\": {\"architecture\": \"cnn\","
                        + " \"params\": {\"filters\": [1024], \"padding\": \"same\"}},"
                        + " \"grid\": {\"params.units\": [128, 8192], \"batchSize\": [4096]}}")
                .post("/api/sweeps")
                .then()
                .statusCode(400)
                .body("errors.field", hasItems("grid.params.units", "grid.batchSize", "base.params.filters"));

        given().contentType(ContentType.JSON)
                .body(run(""))
                .post("/api/runs")
                .then()
                .statusCode(201)
                .body("status", equalTo("queued"));
    }

    @Test
    void a_team_at_its_queued_run_limit_cannot_launch_more() {
        given().contentType(ContentType.JSON)
                .body(run(""))
                .post("/api/runs")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body("{\"experiment\": " + experiment
                        + ", \"name\": \"three\", \"base\": {\"architecture\": \"dense\","
                        + " \"epochs\": 1}, \"grid\": {\"seed\": [1, 2, 3]}}")
                .post("/api/sweeps")
                .then()
                .statusCode(201);

        given().contentType(ContentType.JSON)
                .body(run(""))
                .post("/api/runs")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("has 4 runs queued"))
                .body("detail", containsString("sweeplab.team.max-queued-runs"));
        given().contentType(ContentType.JSON)
                .body("{\"experiment\": " + experiment + ", \"name\": \"two\", \"base\": {\"architecture\": \"dense\","
                        + " \"epochs\": 1}, \"grid\": {\"seed\": [4, 5]}}")
                .post("/api/sweeps")
                .then()
                .statusCode(409)
                .body("detail", containsString("2 more would pass its limit of 4"));
    }
}
