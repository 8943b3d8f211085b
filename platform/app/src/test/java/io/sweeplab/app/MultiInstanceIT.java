package io.sweeplab.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.sweeplab.app.db.EmbeddedPostgresServer;
import io.sweeplab.core.queue.WorkerRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two packaged platforms behind one (imagined) load balancer: one external PostgreSQL, one shared home (checkpoints,
 * session key). Sign-ins and their throttling are shared, a cancel asked of one instance answers a worker's
 * long-poll on the other, and one instance killed with SIGKILL mid-sweep loses nothing: the other finishes the
 * sweep, resuming the killed run from its checkpoint, with each epoch recorded once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiInstanceIT {

    static final String PASSWORD = "admin-password-for-multi-instance";
    static final String WORKER_TOKEN = "multi-instance-worker-token-of-32-chars";

    EmbeddedPostgresServer postgres;
    PackagedPlatform a;
    PackagedPlatform b;
    long experiment;

    @BeforeAll
    void start() throws Exception {
        Path root = Files.createTempDirectory("sweeplab-multi");
        postgres = EmbeddedPostgresServer.start(root.resolve("pg"), 0);
        Path home = Files.createDirectories(root.resolve("home"));
        Map<String, String> config = Map.of(
                "quarkus.datasource.jdbc.url",
                postgres.jdbcUrl(),
                "quarkus.datasource.username",
                postgres.user(),
                "quarkus.datasource.password",
                postgres.password(),
                "sweeplab.admin.password",
                PASSWORD,
                "sweeplab.worker.token",
                WORKER_TOKEN,
                "sweeplab.queue.lease",
                "3s");
        a = new PackagedPlatform(home, "a", config);
        b = new PackagedPlatform(home, "b", config);
        // started together: the schema, the administrator and the session key are made once between them
        CompletableFuture<?> startA = CompletableFuture.runAsync(() -> started(a));
        CompletableFuture<?> startB = CompletableFuture.runAsync(() -> started(b));
        CompletableFuture.allOf(startA, startB).get(3, TimeUnit.MINUTES);
        admin(a).contentType(ContentType.JSON)
                .body("{\"slug\": \"multi\", \"name\": \"Multi\"}")
                .post("/api/teams")
                .then()
                .statusCode(201);
        experiment = ((Number) admin(b).contentType(ContentType.JSON)
                        .body("{\"name\": \"Two instances\"}")
                        .post("/api/teams/multi/experiments")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
    }

    private static void started(PackagedPlatform p) {
        try {
            p.start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    void stop() throws InterruptedException {
        for (PackagedPlatform p : new PackagedPlatform[] {a, b}) {
            if (p != null) {
                p.close();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    static RequestSpecification admin(PackagedPlatform p) {
        return p.http().auth().preemptive().basic("admin", PASSWORD);
    }

    long sql(String query, Object... args) throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                PreparedStatement ps = io.sweeplab.app.db.Jdbc.prepare(c, query, args);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    String embeddedWorker(PackagedPlatform p) {
        List<String> ids =
                admin(p).get("/api/workers").then().statusCode(200).extract().path("id");
        return ids.stream()
                .filter(id -> id.startsWith("embedded@") && id.contains("-" + p.port + "-"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no embedded worker of port " + p.port + " in " + ids));
    }

    @Test
    @Order(1)
    void a_sign_in_on_one_instance_holds_on_the_other_and_failures_on_one_slow_the_other() {
        String session = a.signIn("admin", PASSWORD);
        b.http().cookie("sweeplab-session", session).get("/api/me").then().statusCode(200);

        for (int i = 0; i < 5; i++) {
            a.http()
                    .auth()
                    .preemptive()
                    .basic("mallory", "guess-" + i)
                    .get("/api/me")
                    .then()
                    .statusCode(401);
        }
        // refused on the other instance, which saw none of the failures, before any password is looked at
        b.http()
                .auth()
                .preemptive()
                .basic("mallory", "guess-5")
                .get("/api/me")
                .then()
                .statusCode(429);
    }

    @Test
    @Order(2)
    void a_cancel_asked_of_one_instance_answers_a_workers_long_poll_on_the_other_at_once() throws Exception {
        String workerA = embeddedWorker(a);
        String workerB = embeddedWorker(b);
        admin(a).post("/api/workers/" + workerA + "/pause").then().statusCode(200);
        admin(a).post("/api/workers/" + workerB + "/pause").then().statusCode(200);
        try {
            JsonPath registered = b.http()
                    .header("Authorization", "Bearer " + WORKER_TOKEN)
                    .contentType(ContentType.JSON)
                    .body("{\"name\": \"poller\", \"device\": \"cpu: test\", \"slots\": 1}")
                    .post("/api/worker/register")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            RequestSpecification worker = b.http()
                    .header("Authorization", "Bearer " + WORKER_TOKEN)
                    .header(WorkerRegistry.KEY_HEADER, registered.getString("key"));
            long run = ((Number) admin(a).contentType(ContentType.JSON)
                            .body("{\"experiment\": " + experiment + ", \"architecture\": \"dense\", \"epochs\": 1}")
                            .post("/api/runs")
                            .then()
                            .statusCode(201)
                            .extract()
                            .path("id"))
                    .longValue();
            JsonPath claimed = worker.post("/api/worker/claim")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(claimed.getLong("job.run")).isEqualTo(run);
            CompletableFuture<List<Integer>> poll = CompletableFuture.supplyAsync(() -> b.http()
                    .header("Authorization", "Bearer " + WORKER_TOKEN)
                    .header(WorkerRegistry.KEY_HEADER, registered.getString("key"))
                    .contentType(ContentType.JSON)
                    .body("{\"runs\": [" + run + "]}")
                    .post("/api/worker/cancels")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path(""));
            Thread.sleep(500); // the poll is waiting on b (a cancel before it would be answered from the database)
            long t0 = System.nanoTime();
            admin(a).post("/api/runs/" + run + "/cancel").then().statusCode(200);
            // the long-poll waits 20 s: only the cancel, carried from a to b, answers it this early
            assertThat(poll.get(5, TimeUnit.SECONDS)).containsExactly((int) run);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            worker.contentType(ContentType.JSON)
                    .body("{\"outcome\": {\"status\": \"cancelled\", \"stopReason\": \"cancelled\"}, \"keepEpoch\": 0}")
                    .post("/api/worker/jobs/" + run + "/" + claimed.getInt("job.attempt") + "/finish")
                    .then()
                    .statusCode(204);
            admin(b).get("/api/runs/" + run).then().body("status", org.hamcrest.Matchers.equalTo("cancelled"));
        } finally {
            admin(b).post("/api/workers/" + workerA + "/resume").then().statusCode(200);
            admin(b).post("/api/workers/" + workerB + "/resume").then().statusCode(200);
        }
    }

    @Test
    @Order(3)
    void an_instance_killed_mid_sweep_loses_nothing_the_other_finishes_it() throws Exception {
        String workerA = embeddedWorker(a);
        long sweep = ((Number) admin(a).contentType(ContentType.JSON)
                        .body("""
                        {"experiment": %d, "name": "one instance killed",
                         "base": {"architecture": "cnn", "epochs": 3, "data": {"trainLimit": 2000, "testLimit": 200}},
                         "grid": {"seed": [1, 2, 3, 4]}}""".formatted(experiment))
                        .post("/api/sweeps")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();

        // kill a while its own worker trains a run that has a checkpoint and epochs still to go
        long[] killed = new long[1];
        Awaitility.await()
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    killed[0] = sql(
                            "SELECT j.run_id FROM jobs j JOIN runs r ON r.id = j.run_id"
                                    + " WHERE r.sweep_id = ? AND j.state = 'leased' AND j.worker_id = ?"
                                    + " AND EXISTS (SELECT 1 FROM run_checkpoints c WHERE c.run_id = j.run_id)"
                                    + " AND (SELECT count(*) FROM run_metrics e WHERE e.run_id = j.run_id) < 3",
                            sweep,
                            workerA);
                    return killed[0] > 0;
                });
        a.kill();

        Awaitility.await()
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String status = admin(b).get("/api/sweeps/" + sweep)
                            .then()
                            .extract()
                            .path("status");
                    return !status.equals("queued") && !status.equals("running");
                });
        JsonPath s = admin(b).get("/api/sweeps/" + sweep).then().extract().jsonPath();
        assertThat(s.getString("status")).isEqualTo("succeeded");
        assertThat(s.getList("runs.status")).hasSize(4).containsOnly("succeeded");
        for (Object run : s.getList("runs.id")) {
            List<Integer> epochs = admin(b).get("/api/runs/" + run + "/metrics")
                    .then()
                    .extract()
                    .path("epoch");
            assertThat(epochs).as("run %s", run).containsExactly(1, 2, 3);
        }
        admin(b).get("/api/runs/" + killed[0]).then().body("attempts", org.hamcrest.Matchers.equalTo(2));
        assertThat(Files.readString(b.log()))
                .as("the killed run resumed on b from its checkpoint")
                .containsPattern("SWL-WORKER-021 run " + killed[0] + " resumes after epoch [12]");
    }
}
