package io.sweeplab.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged platform killed with SIGKILL in the middle of a sweep and started again on the same home: nothing
 * is lost (every run finishes) and nothing is doubled (each epoch recorded once), with the embedded PostgreSQL the
 * killed process left behind stopped and replaced.
 */
class PlatformRestartIT {

    PackagedPlatform platform;
    String session;

    @AfterEach
    void stop() throws InterruptedException {
        if (platform != null) {
            platform.close();
        }
    }

    /** Calls as the administrator, through the session cookie of the sign-in form. */
    RequestSpecification api() {
        RequestSpecification r = platform.http();
        return session == null ? r : r.cookie("sweeplab-session", session);
    }

    /** The one-time password the first start printed for the administrator, printed once. */
    String oneTimePassword() throws IOException {
        assertThat(Files.readAllLines(platform.log()).stream().filter(l -> l.contains("SWL-AUTH-001")))
                .as("the one-time password is printed once")
                .hasSize(1);
        return platform.oneTimePassword();
    }

    /** Signs in through the form, as a browser does, and keeps the session cookie. */
    void signIn(String password) {
        session = platform.signIn("admin", password);
    }

    @Test
    void a_platform_killed_mid_sweep_resumes_every_run_after_a_restart() throws Exception {
        platform = new PackagedPlatform("sweeplab-restart", Map.of("sweeplab.queue.lease", "3s")).start();
        api().get("/api/teams").then().statusCode(401);
        signIn(oneTimePassword());
        api().get("/api/me").then().statusCode(200).body("admin", org.hamcrest.Matchers.is(true));
        api().contentType(ContentType.JSON)
                .body("{\"slug\": \"restart\", \"name\": \"Restart\"}")
                .post("/api/teams")
                .then()
                .statusCode(201);
        api().contentType(ContentType.JSON)
                .body("{\"name\": \"Crash\"}")
                .post("/api/teams/restart/experiments")
                .then()
                .statusCode(201);
        api().contentType(ContentType.JSON).body("""
                        {"experiment": 1, "name": "killed midway",
                         "base": {"architecture": "cnn", "epochs": 2, "data": {"trainLimit": 4000, "testLimit": 300}},
                         "grid": {"seed": [1, 2, 3, 4]}}""").post("/api/sweeps").then().statusCode(201);

        // kill it once the first run has finished an epoch and the sweep is not done
        Awaitility.await()
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    JsonPath s = api().get("/api/sweeps/1").then().extract().jsonPath();
                    return s.getList("runs.epochsDone", Integer.class).stream().anyMatch(e -> e >= 1)
                            && s.getInt("counts.succeeded") < 4;
                });
        platform.kill();

        platform.start();
        // the session survives the restart (its key is kept in <home>/session.key), and no new password is made
        api().get("/api/me").then().statusCode(200);
        oneTimePassword();
        Awaitility.await()
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String status = api().get("/api/sweeps/1").then().extract().path("status");
                    return !status.equals("queued") && !status.equals("running");
                });
        JsonPath sweep = api().get("/api/sweeps/1").then().extract().jsonPath();
        assertThat(sweep.getString("status")).isEqualTo("succeeded");
        assertThat(sweep.getInt("counts.succeeded")).isEqualTo(4);
        List<Map<String, Object>> runs = sweep.getList("runs");
        for (Map<String, Object> run : runs) {
            List<Integer> epochs = api().get("/api/runs/" + run.get("id") + "/metrics")
                    .then()
                    .extract()
                    .path("epoch");
            assertThat(epochs).as("run %s", run.get("id")).containsExactly(1, 2);
        }
        assertThat(runs)
                .extracting(r -> (Integer) r.get("attempts"))
                .as("the interrupted run was claimed again")
                .contains(2);
        assertThat(Files.readString(platform.log())).contains("SWL-DB-005");
    }

    @Test
    void a_platform_killed_mid_search_continues_it_after_a_restart_without_losing_or_doubling_a_trial()
            throws Exception {
        platform = new PackagedPlatform("sweeplab-restart-search", Map.of("sweeplab.queue.lease", "3s")).start();
        signIn(oneTimePassword());
        api().contentType(ContentType.JSON)
                .body("{\"slug\": \"search\", \"name\": \"Search\"}")
                .post("/api/teams")
                .then()
                .statusCode(201);
        long experiment = ((Number) api().contentType(ContentType.JSON)
                        .body("{\"name\": \"Crash\"}")
                        .post("/api/teams/search/experiments")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
        String body = """
                {"experiment": %d, "name": "killed mid-search",
                 "base": {"architecture": "dense", "epochs": 2, "data": {"trainLimit": 3000, "testLimit": 200}},
                 "strategy": {"id": "random"}, "space": {"params.units": {"int": [16, 256], "log": true},
                                                        "learningRate": {"float": [0.0005, 0.005], "log": true}},
                 "budget": {"maxRuns": 5}, "parallelism": 1, "seed": 11}""".formatted(experiment);
        long id = ((Number) api().contentType(ContentType.JSON)
                        .body(body)
                        .post("/api/sweeps")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();

        // kill it once the second trial has been proposed: one trial done, the search far from its end
        Awaitility.await()
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> api().get("/api/sweeps/" + id)
                                .then()
                                .extract()
                                .jsonPath()
                                .getList("search.trials")
                                .size()
                        >= 2);
        platform.kill();

        platform.start();
        Awaitility.await()
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String status =
                            api().get("/api/sweeps/" + id).then().extract().path("status");
                    return !status.equals("queued") && !status.equals("running");
                });
        JsonPath sweep = api().get("/api/sweeps/" + id).then().extract().jsonPath();
        assertThat(sweep.getString("status")).isEqualTo("succeeded");
        assertThat(sweep.getList("search.trials.number")).containsExactly(1, 2, 3, 4, 5);
        assertThat(sweep.getList("search.trials.run")).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(sweep.getList("runs")).hasSize(5);
        assertThat(sweep.getList("runs.status")).containsOnly("succeeded");
        for (Object run : sweep.getList("runs.id")) {
            List<Integer> epochs =
                    api().get("/api/runs/" + run + "/metrics").then().extract().path("epoch");
            assertThat(epochs).as("run %s", run).containsExactly(1, 2);
        }
        // the same seed proposes the same trials: a replay of the search from its rows is the search itself
        List<Object> params = sweep.getList("search.trials.params");
        long replay = ((Number) api().contentType(ContentType.JSON)
                        .body(body.replace("killed mid-search", "replay"))
                        .post("/api/sweeps")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
        Awaitility.await()
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "succeeded"
                        .equals(api().get("/api/sweeps/" + replay)
                                .then()
                                .extract()
                                .path("status")));
        assertThat(api().get("/api/sweeps/" + replay)
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("search.trials.params"))
                .isEqualTo(params);
    }
}
