package io.sweeplab.app.worker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.sweeplab.app.TestPlatform;
import io.sweeplab.app.db.CheckpointFiles;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A lease belongs to the one worker that claimed it: another worker, with another worker token or the same one, is
 * refused every call about that job, learns nothing of which runs are leased, and cannot claim with the rights of
 * another; uploads are checked against the lease before a byte is stored and bounded in size.
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class WorkerIdentityTest {

    @Inject
    InProcessWorker embedded;

    static long experiment;
    static String adminWorkerToken;

    @BeforeEach
    void setUp() {
        embedded.pause(true);
        if (experiment == 0) {
            experiment = TestPlatform.experiment("identity-team", "Identity", "Leases");
            adminWorkerToken = given().contentType(ContentType.JSON)
                    .body("{\"name\": \"another worker\", \"scope\": \"worker\"}")
                    .post("/api/tokens")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("token");
        }
    }

    /** Workers a test started; their heartbeats stop when it ends. */
    final List<ProtocolClient> clients = new ArrayList<>();

    ProtocolClient worker(String token, String name) {
        ProtocolClient c = new ProtocolClient(token).register(name);
        clients.add(c);
        return c;
    }

    @AfterEach
    void tearDown() {
        clients.forEach(ProtocolClient::close);
        // what a failed test left queued would be claimed by the next one: end it here
        ProtocolClient janitor = new ProtocolClient(TestPlatform.WORKER_TOKEN).register("janitor");
        for (Response r = janitor.claim(); r.statusCode() == 200; r = janitor.claim()) {
            janitor.post(
                    "/api/worker/jobs/" + r.jsonPath().getLong("job.run") + "/"
                            + r.jsonPath().getInt("job.attempt") + "/finish",
                    "{\"outcome\": {\"status\": \"failed\", \"error\": \"left by a test\"}, \"keepEpoch\": 0}");
        }
        janitor.close();
        embedded.pause(false);
    }

    /** A dense run of 3 epochs, or the run {@code fields} describe. */
    static long submit(String fields) {
        String spec = fields.isEmpty() ? "\"architecture\": \"dense\", \"epochs\": 3" : fields;
        return ((Number) given().contentType(ContentType.JSON)
                        .body("{\"experiment\": " + experiment + ", " + spec + "}")
                        .post("/api/runs")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
    }

    /** A run claimed by a worker of the configured token, driven by hand. */
    record Held(ProtocolClient worker, long run, int attempt) {
        String path(String rest) {
            return "/api/worker/jobs/" + run + "/" + attempt + "/" + rest;
        }
    }

    Held claimed(String name) {
        ProtocolClient victim = worker(TestPlatform.WORKER_TOKEN, name);
        long run = submit("");
        JsonPath a = victim.claim().then().statusCode(200).extract().jsonPath();
        assertThat(a.getLong("job.run")).isEqualTo(run);
        return new Held(victim, run, a.getInt("job.attempt"));
    }

    static final String FORGED_FINISH =
            "{\"outcome\": {\"status\": \"succeeded\", \"testAccuracy\": 0.99}, \"keepEpoch\": -1}";

    /** Every job call of the protocol, as another worker would send it for this job. */
    static List<Response> everyJobCall(ProtocolClient other, Held h) {
        List<Response> answers = new ArrayList<>();
        answers.add(other.post(h.path("started"), "{\"device\": \"cpu: forged\", \"summary\": null}"));
        answers.add(other.post(h.path("epochs"), ProtocolClient.epoch(1)));
        answers.add(other.request()
                .contentType("application/octet-stream")
                .body(new byte[1024])
                .put(h.path("checkpoints/1")));
        answers.add(other.request().get(h.path("checkpoint?epoch=1")));
        answers.add(other.request()
                .contentType(ContentType.JSON)
                .body("{\"kind\": \"forged\"}")
                .put(h.path("artifacts/activations?kind=activations")));
        answers.add(other.post(h.path("finish"), FORGED_FINISH));
        answers.add(other.request().post(h.path("release")));
        return answers;
    }

    @Test
    void another_workers_token_cannot_touch_a_job_it_does_not_hold() {
        Held h = claimed("victim-1");
        h.worker().post(h.path("epochs"), ProtocolClient.epoch(1)).then().statusCode(204);
        ProtocolClient other = worker(adminWorkerToken, "intruder");

        for (Response r : everyJobCall(other, h)) {
            r.then().statusCode(409).contentType("application/problem+json").body("title", equalTo("Lease lost"));
        }
        // the heartbeat neither renews nor reports another worker's job
        other.post(
                        "/api/worker/heartbeat",
                        "{\"jobs\": [{\"run\": " + h.run() + ", \"attempt\": " + h.attempt() + "}]}")
                .then()
                .statusCode(200)
                .body("'" + h.run() + "'.leased", equalTo(false));
        given().get("/api/runs/" + h.run())
                .then()
                .body("status", equalTo("running"))
                .body("testAccuracy", equalTo(null))
                .body("device", not(equalTo("cpu: forged")));
        given().get("/api/runs/" + h.run() + "/artifacts").then().body("size()", equalTo(0));
        // nothing was written to the platform's disk for the forged upload
        Path dir = Path.of(ConfigProvider.getConfig().getValue("sweeplab.home", String.class), "checkpoints");
        assertThat(Files.exists(CheckpointFiles.file(dir, h.run(), 1))).isFalse();

        // the holder goes on as if nothing happened
        h.worker().post(h.path("epochs"), ProtocolClient.epoch(2)).then().statusCode(204);
        h.worker()
                .post(
                        h.path("finish"),
                        "{\"outcome\": {\"status\": \"succeeded\", \"testAccuracy\": 0.5}, \"keepEpoch\": 0}")
                .then()
                .statusCode(204);
        given().get("/api/runs/" + h.run())
                .then()
                .body("status", equalTo("succeeded"))
                .body("testAccuracy", equalTo(0.5f));
    }

    @Test
    void the_same_token_registered_as_another_worker_cannot_touch_the_job_either() {
        Held h = claimed("victim-2");
        ProtocolClient sibling = worker(TestPlatform.WORKER_TOKEN, "sibling");
        for (Response r : everyJobCall(sibling, h)) {
            r.then().statusCode(409);
        }
        h.worker()
                .post(h.path("finish"), "{\"outcome\": {\"status\": \"failed\"}, \"keepEpoch\": 0}")
                .then()
                .statusCode(204);
    }

    @Test
    void a_job_the_embedded_worker_holds_cannot_be_finished_by_a_worker_token() {
        embedded.pause(false);
        long run = submit(
                "\"epochs\": 40, \"architecture\": \"cnn\", \"data\": {\"trainLimit\": 20000, \"testLimit\": 100}");
        Awaitility.await()
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> given().get("/api/runs/" + run).then().extract().path("device") != null);
        JsonPath running = given().get("/api/runs/" + run).then().extract().jsonPath();
        assertThat(running.getString("worker")).isEqualTo(embedded.id());
        assertThat(running.getString("status")).isEqualTo("running");
        ProtocolClient intruder = worker(adminWorkerToken, "intruder-2");
        intruder.post("/api/worker/jobs/" + run + "/" + running.getInt("attempts") + "/finish", FORGED_FINISH)
                .then()
                .statusCode(409);
        JsonPath after = given().get("/api/runs/" + run).then().extract().jsonPath();
        assertThat(after.getString("status")).isEqualTo("running");
        assertThat(after.getString("testAccuracy")).isNull();
        given().post("/api/runs/" + run + "/cancel").then().statusCode(200);
        Awaitility.await()
                .atMost(Duration.ofMinutes(1))
                .until(() -> "cancelled"
                        .equals(given().get("/api/runs/" + run).then().extract().path("status")));
    }

    @Test
    void which_runs_are_leased_cannot_be_probed() {
        Held leased = claimed("victim-3");
        long queued = submit(""); // nobody claims it: the embedded worker is paused
        ProtocolClient prober = worker(adminWorkerToken, "prober");
        List<String> answers = new ArrayList<>();
        for (long run : new long[] {leased.run(), queued, 987_654_321L}) {
            Response r = prober.post("/api/worker/jobs/" + run + "/1/epochs", ProtocolClient.epoch(1));
            answers.add(r.statusCode() + " " + r.jsonPath().getString("type"));
        }
        assertThat(answers).containsOnly("409 urn:sweeplab:problem:lease-lost");
        // a cancelled run is not reported to a worker that does not hold it, not even by the long-poll
        given().post("/api/runs/" + leased.run() + "/cancel").then().statusCode(200);
        prober.post("/api/worker/cancels", "{\"runs\": [" + leased.run() + "]}")
                .then()
                .statusCode(200)
                .body("size()", equalTo(0));
        leased.worker()
                .post(leased.path("finish"), "{\"outcome\": {\"status\": \"cancelled\"}, \"keepEpoch\": 0}")
                .then()
                .statusCode(204);
        given().delete("/api/runs/" + queued).then().statusCode(204);
    }

    @Test
    void claims_need_a_registered_worker_and_take_its_rights_from_the_registration() {
        long gpuRun = submit("\"architecture\": \"dense\", \"epochs\": 3, \"gpu\": true");
        // a token alone, without the key of a registration: refused, and no spec is revealed
        new ProtocolClient(adminWorkerToken)
                .claim()
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("job", equalTo(null));
        // a key is worth nothing with another token
        ProtocolClient a = worker(TestPlatform.WORKER_TOKEN, "keyholder");
        ProtocolClient b = new ProtocolClient(adminWorkerToken);
        b.key = a.key;
        b.claim().then().statusCode(403);
        // a CPU worker asking for GPU work is not given the GPU run: the body cannot say otherwise
        a.request()
                .contentType(ContentType.JSON)
                .body("{\"gpu\": true}")
                .post("/api/worker/claim")
                .then()
                .statusCode(204);
        given().get("/api/runs/" + gpuRun).then().body("status", equalTo("queued"));
        given().delete("/api/runs/" + gpuRun).then().statusCode(204);
    }

    static void user(String name, String team, String role) {
        given().contentType(ContentType.JSON)
                .body("{\"username\": \"" + name + "\", \"password\": \"a-password-for-tests\"}")
                .post("/api/users")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body("{\"role\": \"" + role + "\"}")
                .put("/api/teams/" + team + "/members/" + name)
                .then()
                .statusCode(200);
    }

    static Response newToken(String user, String body) {
        return given().auth()
                .preemptive()
                .basic(user, "a-password-for-tests")
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/tokens");
    }

    @Test
    void a_teams_worker_token_is_made_by_its_owners_and_claims_only_that_teams_runs() {
        user("id-owner", "identity-team", "owner");
        user("id-member", "identity-team", "member");
        given().contentType(ContentType.JSON)
                .body("{\"slug\": \"identity-other\", \"name\": \"Other\"}")
                .post("/api/teams")
                .then()
                .statusCode(201);
        long otherExperiment = ((Number) given().contentType(ContentType.JSON)
                        .body("{\"name\": \"Elsewhere\"}")
                        .post("/api/teams/identity-other/experiments")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
        String worker = "{\"name\": \"team box\", \"scope\": \"worker\", \"team\": \"identity-team\"}";
        newToken("id-member", worker).then().statusCode(403);
        newToken("id-owner", worker.replace("identity-team", "identity-other"))
                .then()
                .statusCode(404);
        newToken("id-owner", "{\"name\": \"x\", \"scope\": \"read\", \"team\": \"identity-team\"}")
                .then()
                .statusCode(400)
                .body("field", equalTo("team"));
        newToken("id-owner", "{\"name\": \"every team\", \"scope\": \"worker\"}")
                .then()
                .statusCode(403);
        JsonPath made =
                newToken("id-owner", worker).then().statusCode(201).extract().jsonPath();
        assertThat(made.getString("info.team")).isEqualTo("identity-team");

        // another team's run is older, yet the team's worker is given only its own team's run
        long elsewhere = ((Number) given().contentType(ContentType.JSON)
                        .body("{\"experiment\": " + otherExperiment + ", \"architecture\": \"dense\", \"epochs\": 1}")
                        .post("/api/runs")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
        long ours = submit("");
        ProtocolClient teamWorker = worker(made.getString("token"), "team-box");
        assertThat(teamWorker
                        .claim()
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getLong("job.run"))
                .isEqualTo(ours);
        teamWorker.claim().then().statusCode(204);
        given().get("/api/runs/" + elsewhere).then().body("status", equalTo("queued"));
        teamWorker
                .post(
                        "/api/worker/jobs/" + ours + "/1/finish",
                        "{\"outcome\": {\"status\": \"failed\"}, \"keepEpoch\": 0}")
                .then()
                .statusCode(204);
        given().delete("/api/runs/" + elsewhere).then().statusCode(204);
        // the token is worth what its maker may still do: demoted, the maker's team token stops working
        given().contentType(ContentType.JSON)
                .body("{\"role\": \"member\"}")
                .put("/api/teams/identity-team/members/id-owner")
                .then()
                .statusCode(200);
        teamWorker.claim().then().statusCode(401);
    }

    @Test
    void uploads_and_writes_are_bounded_and_epochs_checked() {
        Held h = claimed("bounded");
        ProtocolClient w = h.worker();
        for (int bad : new int[] {0, 4, -1}) {
            w.post(h.path("epochs"), ProtocolClient.epoch(bad))
                    .then()
                    .statusCode(400)
                    .body("field", equalTo("epoch"));
        }
        w.request()
                .contentType("application/octet-stream")
                .body(new byte[16])
                .put(h.path("checkpoints/99"))
                .then()
                .statusCode(400)
                .body("field", equalTo("epoch"));
        // a checkpoint over the limit (16 MB in the tests), announced or streamed
        byte[] big = new byte[17 << 20];
        w.request()
                .contentType("application/octet-stream")
                .body(big)
                .put(h.path("checkpoints/1"))
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        InputStream streamed = new ByteArrayInputStream(big);
        assertThat(w.request()
                        .contentType("application/octet-stream")
                        .body(streamed)
                        .put(h.path("checkpoints/1"))
                        .statusCode())
                .isEqualTo(413);
        Path dir = Path.of(ConfigProvider.getConfig().getValue("sweeplab.home", String.class), "checkpoints");
        assertThat(Files.exists(CheckpointFiles.file(dir, h.run(), 1))).isFalse();
        // JSON bodies are bounded far lower than uploads
        w.post("/api/worker/heartbeat", "{\"jobs\": [], \"pad\": \"" + "x".repeat(1_100_000) + "\"}")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        StringBuilder many = new StringBuilder("{\"jobs\": [");
        for (int i = 0; i < 300; i++) {
            many.append(i == 0 ? "" : ",").append("{\"run\": ").append(i + 1).append(", \"attempt\": 1}");
        }
        w.post("/api/worker/heartbeat", many.append("]}").toString())
                .then()
                .statusCode(413)
                .body("field", equalTo("jobs"));
        w.request()
                .contentType(ContentType.JSON)
                .body("{}")
                .put(h.path("artifacts/..%2Fescape?kind=activations"))
                .then()
                .statusCode(400)
                .body("field", equalTo("name"));
        // an artifact must read with the shared codec, under the name it is stored at
        w.request()
                .contentType(ContentType.JSON)
                .body("{\"name\": \"other\", \"kind\": \"table\", \"columns\": [], \"rows\": []}")
                .put(h.path("artifacts/mine"))
                .then()
                .statusCode(400)
                .body("field", equalTo("name"));
        w.request()
                .contentType(ContentType.JSON)
                .body("{\"name\": \"mine\", \"kind\": \"tensors\", \"tensors\": [{\"name\": \"t\", \"shape\": [2],"
                        + " \"data\": \"AACAPw==\"}]}")
                .put(h.path("artifacts/mine"))
                .then()
                .statusCode(400)
                .body("field", equalTo("body"))
                .body("detail", org.hamcrest.Matchers.containsString("needs 2 values"));
        w.request()
                .contentType(ContentType.JSON)
                .body("{\"name\": \"mine\", \"kind\": \"table\", \"columns\": [\"a\"], \"rows\": [[1]]}")
                .put(h.path("artifacts/mine?kind=tensors"))
                .then()
                .statusCode(400)
                .body("field", equalTo("kind"));
        w.post(h.path("finish"), "{\"outcome\": {\"status\": \"running\"}, \"keepEpoch\": 0}")
                .then()
                .statusCode(400)
                .body("field", equalTo("outcome.status"));
        w.post(
                        h.path("finish"),
                        "{\"outcome\": {\"status\": \"failed\", \"error\": \"" + "e".repeat(30_000)
                                + "\"}, \"keepEpoch\": 0}")
                .then()
                .statusCode(413)
                .body("field", equalTo("outcome.error"));
        // a finish sent twice (its reply was lost) changes nothing the second time
        String finish = "{\"outcome\": {\"status\": \"failed\", \"error\": \"over\"}, \"keepEpoch\": 0}";
        w.post(h.path("finish"), finish).then().statusCode(204);
        w.post(h.path("finish"), finish).then().statusCode(204);
        given().get("/api/runs/" + h.run()).then().body("status", equalTo("failed"));
    }
}
