package io.sweeplab.app.worker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sweeplab.app.TestPlatform;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A remote worker as its own process, speaking only HTTP to the platform, next to the embedded one: a sweep shared
 * by both, and a remote worker killed with SIGKILL mid-epoch whose run resumes from its last checkpoint elsewhere.
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class RemoteWorkerTest {

    @Inject
    InProcessWorker embedded;

    static long experiment;
    Process remote;
    Path work;

    @BeforeEach
    void setUp() throws IOException {
        if (experiment == 0) {
            experiment = TestPlatform.experiment("remote-team", "Remote", "Two workers");
        }
        work = Files.createTempDirectory("remote-worker");
    }

    @AfterEach
    void tearDown() {
        if (remote != null && remote.isAlive()) {
            remote.destroyForcibly();
        }
        embedded.pause(false);
    }

    /** Starts {@code RemoteWorker} in a JVM of its own and waits until it is listed online. */
    String startRemote(String name) throws IOException {
        return startRemote(name, "http://localhost:" + RestAssured.port);
    }

    /** Starts {@code RemoteWorker} speaking to {@code server} (the platform, or a proxy in front of it). */
    String startRemote(String name, String server) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder worker = new ProcessBuilder(
                        java,
                        "--add-modules",
                        "jdk.incubator.vector",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.sweeplab.worker.remote.RemoteWorker",
                        "--server",
                        server,
                        "--name",
                        name,
                        "--threads",
                        "1",
                        "--work-dir",
                        work.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("worker.log").toFile());
        worker.environment().put("SWEEPLAB_WORKER_TOKEN", TestPlatform.WORKER_TOKEN);
        remote = worker.start();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    List<Map<String, Object>> workers =
                            given().get("/api/workers").then().extract().path("");
                    return workers.stream()
                            .anyMatch(w -> name.equals(w.get("name")) && "online".equals(w.get("status")));
                });
        List<Map<String, Object>> workers =
                given().get("/api/workers").then().extract().path("");
        return (String) workers.stream()
                .filter(w -> name.equals(w.get("name")))
                .findFirst()
                .orElseThrow()
                .get("id");
    }

    static long submitRun(String body) {
        return ((Number) given().contentType(ContentType.JSON)
                        .body(body)
                        .post("/api/runs")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
    }

    static JsonPath awaitRun(long id) {
        Awaitility.await()
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    String s = given().get("/api/runs/" + id).then().extract().path("status");
                    return !s.equals("queued") && !s.equals("running");
                });
        return given().get("/api/runs/" + id).then().extract().jsonPath();
    }

    @Test
    void a_remote_worker_without_a_plugins_directory_fetches_an_uploaded_plugin_or_hands_the_job_back()
            throws IOException {
        given().contentType("application/java-archive")
                .body(io.sweeplab.app.plugin.HotPlugins.jar("hot-remote", "1.0", 12))
                .post("/api/plugins")
                .then()
                .statusCode(201);
        // loads on the platform, refused on a remote worker (it has the worker token in its environment)
        given().contentType("application/java-archive")
                .body(io.sweeplab.app.plugin.HotPlugins.jar(
                        "hot-local",
                        "1.0",
                        12,
                        "if (System.getenv(\"SWEEPLAB_WORKER_TOKEN\") != null)"
                                + " throw new IllegalStateException(\"not on remote workers\");"))
                .post("/api/plugins")
                .then()
                .statusCode(201);
        embedded.pause(true);
        String remoteId = startRemote("remote-plugins");
        String body = """
                {"experiment": %d, "architecture": "%s", "epochs": 1, "visualizers": [],
                 "data": {"trainLimit": 256, "testLimit": 64}}""";

        long run = submitRun(body.formatted(experiment, "hot-remote-net"));
        JsonPath done = awaitRun(run);
        assertThat(done.getString("status"))
                .as(done.getString("error") + "\n" + Files.readString(work.resolve("worker.log")))
                .isEqualTo("succeeded");
        assertThat(done.getString("worker")).isEqualTo(remoteId);
        try (var files = Files.list(work.resolve("plugins"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("hot-remote-1.0-") && n.endsWith(".jar"));
        }

        long handedBack = submitRun(body.formatted(experiment, "hot-local-net"));
        // the remote worker claims it, cannot load the plugin and hands it back, again and again: never failed
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() ->
                        given().get("/api/runs/" + handedBack).then().extract().<Integer>path("attempts") >= 3);
        assertThat(given().get("/api/runs/" + handedBack).then().extract().<String>path("status"))
                .isIn("queued", "running");
        embedded.pause(false);
        JsonPath second = awaitRun(handedBack);
        assertThat(second.getString("status")).as(second.getString("error")).isEqualTo("succeeded");
        assertThat(second.getString("worker")).isEqualTo(embedded.id());
    }

    @Test
    void a_twelve_run_sweep_is_shared_by_the_embedded_and_a_remote_worker() throws IOException {
        String remoteId = startRemote("remote-a");
        given().get("/api/workers")
                .then()
                .body("find { it.id == '" + remoteId + "' }.kind", equalTo("remote"))
                .body("find { it.id == '" + remoteId + "' }.backend", equalTo("cpu"))
                .body("find { it.id == '" + remoteId + "' }.slots", equalTo(1));

        long sweep = ((Number) given().contentType(ContentType.JSON)
                        .body("""
                        {"experiment": %d, "name": "two workers",
                         "base": {"architecture": "cnn", "data": {"trainLimit": 1024, "testLimit": 128}},
                         "grid": {"epochs": [1, 2], "seed": [1, 2, 3, 4, 5, 6]}}""".formatted(experiment))
                        .post("/api/sweeps")
                        .then()
                        .statusCode(201)
                        .body("size", equalTo(12))
                        .extract()
                        .path("id"))
                .longValue();
        Awaitility.await()
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    String s =
                            given().get("/api/sweeps/" + sweep).then().extract().path("status");
                    return !s.equals("queued") && !s.equals("running");
                });
        JsonPath s = given().get("/api/sweeps/" + sweep).then().extract().jsonPath();
        assertThat(s.getString("status")).isEqualTo("succeeded");
        Set<String> workers = new HashSet<>(s.getList("runs.worker", String.class));
        assertThat(workers).containsExactlyInAnyOrder(embedded.id(), remoteId);
        assertThat(s.getList("runs.attempts", Integer.class))
                .as("no job was claimed twice")
                .containsOnly(1);
        for (Map<String, Object> run : s.<Map<String, Object>>getList("runs")) {
            List<Integer> epochs = given().get("/api/runs/" + run.get("id") + "/metrics")
                    .then()
                    .extract()
                    .path("epoch");
            assertThat(epochs).hasSize((Integer) run.get("epochs")).doesNotHaveDuplicates();
        }
        // what the remote worker produced arrived whole: summary, activation maps
        Map<String, Object> remoteRun = s.<Map<String, Object>>getList("runs").stream()
                .filter(r -> remoteId.equals(r.get("worker")))
                .findFirst()
                .orElseThrow();
        given().get("/api/runs/" + remoteRun.get("id") + "/artifacts/activations")
                .then()
                .statusCode(200)
                .body("tensors.name", org.hamcrest.Matchers.hasItem("conv2d_1"));
        assertThat(remoteRun.get("device").toString()).startsWith("cpu: ");
    }

    @Test
    void a_remote_worker_killed_mid_epoch_leaves_its_run_to_resume_from_the_last_checkpoint() throws Exception {
        embedded.pause(true);
        String remoteId = startRemote("remote-b");
        long run = submitRun("{\"experiment\": " + experiment + ", \"architecture\": \"cnn\", \"epochs\": 3,"
                + " \"data\": {\"trainLimit\": 12000, \"testLimit\": 500}}");
        Awaitility.await()
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    List<Integer> epochs = given().get("/api/runs/" + run + "/metrics")
                            .then()
                            .extract()
                            .path("epoch");
                    return !epochs.isEmpty();
                });
        assertThat(given().get("/api/runs/" + run).then().extract().<String>path("worker"))
                .isEqualTo(remoteId);
        float epoch1Seconds =
                given().get("/api/runs/" + run + "/metrics").then().extract().path("[0].seconds");

        remote.destroyForcibly().waitFor(); // SIGKILL during epoch 2
        embedded.pause(false);

        JsonPath done = awaitRun(run);
        assertThat(done.getString("status")).isEqualTo("succeeded");
        assertThat(done.getInt("attempts")).isEqualTo(2);
        assertThat(done.getString("worker")).isEqualTo(embedded.id());
        JsonPath metrics =
                given().get("/api/runs/" + run + "/metrics").then().extract().jsonPath();
        assertThat(metrics.getList("epoch", Integer.class)).containsExactly(1, 2, 3);
        // epoch 1 was not trained again: its record is the killed worker's
        assertThat(metrics.getFloat("[0].seconds")).isEqualTo(epoch1Seconds);
        given().get("/api/workers")
                .then()
                .body("find { it.id == '" + remoteId + "' }.jobs", org.hamcrest.Matchers.empty());
    }

    @Test
    void a_remote_run_survives_refused_connections_and_lost_answers() throws Exception {
        embedded.pause(true);
        // the first 3 connections close unanswered (the worker's registration); the answers to the first checkpoint
        // upload, the first epoch and the finish are lost after the platform acted on them
        try (DroppingProxy proxy = new DroppingProxy(
                RestAssured.port, 3, List.of("/epochs", "/checkpoints/1", "/finish"), Duration.ofMinutes(5))) {
            String remoteId = startRemote("remote-d", "http://127.0.0.1:" + proxy.port());
            long run = submitRun("{\"experiment\": " + experiment + ", \"architecture\": \"dense\", \"epochs\": 2,"
                    + " \"data\": {\"trainLimit\": 512, \"testLimit\": 128}}");
            JsonPath done = awaitRun(run);
            assertThat(done.getString("status")).isEqualTo("succeeded");
            assertThat(done.getString("worker")).isEqualTo(remoteId);
            assertThat(done.getInt("attempts")).as("the job was never given up").isEqualTo(1);
            assertThat(given().get("/api/runs/" + run + "/metrics")
                            .then()
                            .extract()
                            .<List<Integer>>path("epoch"))
                    .containsExactly(1, 2);
            // each lost answer's request was sent again and answered as done; none was taken for a lost lease
            String job = "/api/worker/jobs/" + run + "/1/";
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> proxy.exchanges().stream()
                            .anyMatch(e -> e.startsWith("POST " + job + "finish ") && !e.endsWith(" lost")));
            List<String> seen = proxy.exchanges();
            assertThat(seen.subList(0, 3)).containsOnly("refused");
            assertThat(seen)
                    .filteredOn(e -> e.endsWith(" lost"))
                    .containsExactly(
                            "PUT " + job + "checkpoints/1 lost",
                            "POST " + job + "epochs lost",
                            "POST " + job + "finish lost");
            for (String request :
                    List.of("PUT " + job + "checkpoints/1", "POST " + job + "epochs", "POST " + job + "finish")) {
                List<String> after = seen.subList(seen.indexOf(request + " lost") + 1, seen.size());
                assertThat(after)
                        .as(request + " sent again")
                        .anyMatch(e -> e.matches(java.util.regex.Pattern.quote(request) + " 2\\d\\d"));
            }
            assertThat(seen).as("no lease lost").noneMatch(e -> e.endsWith(" 409"));
        }
    }

    @Test
    void a_cancel_answers_the_workers_long_poll_at_once() throws Exception {
        embedded.pause(true);
        ProtocolClient poller = new ProtocolClient(TestPlatform.WORKER_TOKEN).register("poller");
        long run = submitRun("{\"experiment\": " + experiment + ", \"architecture\": \"dense\", \"epochs\": 1}");
        JsonPath claimed = poller.claim().then().statusCode(200).extract().jsonPath();
        assertThat(claimed.getLong("job.run")).isEqualTo(run);
        int attempt = claimed.getInt("job.attempt");

        java.util.concurrent.CompletableFuture<List<Integer>> poll = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> poller.post("/api/worker/cancels", "{\"runs\": [" + run + "]}")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path(""));
        given().post("/api/runs/" + run + "/cancel").then().statusCode(200);
        long t0 = System.nanoTime();
        // the poll waits up to 5 s in the tests: only the cancel itself answers it this early
        assertThat(poll.get(4, java.util.concurrent.TimeUnit.SECONDS)).containsExactly((int) run);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));

        poller.post(
                        "/api/worker/jobs/" + run + "/" + attempt + "/finish",
                        "{\"outcome\": {\"status\": \"cancelled\", \"stopReason\": \"cancelled\"}, \"keepEpoch\": 0}")
                .then()
                .statusCode(204);
        given().get("/api/runs/" + run).then().body("status", equalTo("cancelled"));
        poller.close();
    }

    @Test
    void a_remote_workers_run_can_be_cancelled() throws Exception {
        embedded.pause(true);
        String remoteId = startRemote("remote-c");
        long run = submitRun("{\"experiment\": " + experiment + ", \"architecture\": \"cnn\", \"epochs\": 30,"
                + " \"data\": {\"trainLimit\": 20000, \"testLimit\": 200}}");
        Awaitility.await()
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> given().get("/api/runs/" + run).then().extract().path("device") != null);
        assertThat(given().get("/api/runs/" + run).then().extract().<String>path("worker"))
                .isEqualTo(remoteId);
        given().post("/api/runs/" + run + "/cancel").then().statusCode(200);
        JsonPath done = awaitRun(run);
        assertThat(done.getString("status")).isEqualTo("cancelled");
        assertThat(done.getInt("epochsDone")).isLessThan(30);
    }

    @Test
    void the_worker_protocol_refuses_calls_without_the_token() {
        given().auth()
                .none()
                .contentType(ContentType.JSON)
                .post("/api/worker/claim")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"))
                .contentType("application/problem+json");
        given().auth()
                .none()
                .header("Authorization", "Bearer wrong")
                .contentType(ContentType.JSON)
                .post("/api/worker/claim")
                .then()
                .statusCode(401);
        // a stale attempt is told its lease is gone
        new ProtocolClient(TestPlatform.WORKER_TOKEN)
                .register("stale")
                .post("/api/worker/jobs/999999/1/epochs", ProtocolClient.epoch(1))
                .then()
                .statusCode(409)
                .body("title", equalTo("Lease lost"));
    }
}
