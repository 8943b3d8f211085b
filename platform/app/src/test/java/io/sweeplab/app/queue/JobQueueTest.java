package io.sweeplab.app.queue;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sweeplab.app.TestPlatform;
import io.sweeplab.app.worker.InProcessWorker;
import io.sweeplab.core.queue.Assignment;
import io.sweeplab.core.queue.JobQueue;
import io.sweeplab.core.queue.JobRef;
import io.sweeplab.core.queue.LeaseLostException;
import io.sweeplab.core.queue.WorkerRegistry;
import io.sweeplab.core.run.EpochMetric;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue's leases against the real database, with a test worker that stops heartbeating as a dead one would. */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class JobQueueTest {

    @Inject
    JobQueue queue;

    @Inject
    WorkerRegistry registry;

    /** A worker registered as a remote one would be, which the test drives by hand. */
    String worker;

    @Inject
    InProcessWorker embedded;

    static long experiment;

    @BeforeEach
    void setUp() {
        given().post("/api/workers/" + embedded.id() + "/pause").then().statusCode(200);
        if (experiment == 0) {
            experiment = TestPlatform.experiment("queue-team", "Queue", "Leases");
        }
        worker = TestPlatform.registerTestWorker(registry);
    }

    @AfterEach
    void tearDown() {
        given().post("/api/workers/" + embedded.id() + "/resume").then().statusCode(200);
    }

    long submit() {
        return ((Number) given().contentType(ContentType.JSON)
                        .body("{\"experiment\": " + experiment + ", \"architecture\": \"dense\", \"epochs\": 3}")
                        .post("/api/runs")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
    }

    Assignment claimOwn(long run) {
        // the embedded worker is paused and every other test waits for its runs, so ours is the only queued one
        Assignment a = queue.claim(worker).orElseThrow();
        assertThat(a.job().run()).as("the only queued run").isEqualTo(run);
        return a;
    }

    static EpochMetric metric(int epoch) {
        return new EpochMetric(epoch, 0.5, 0.8, 0.6, 0.75, 1.0, 100);
    }

    @Test
    void an_expired_lease_returns_the_job_with_its_resume_point_and_fences_the_old_holder() {
        long run = submit();
        Assignment first = claimOwn(run);
        assertThat(first.job().attempt()).isEqualTo(1);
        assertThat(first.resumeEpoch()).isZero();
        given().get("/api/runs/" + run).then().body("status", org.hamcrest.Matchers.equalTo("running"));
        given().get("/api/workers").then().statusCode(200).body("find { it.id == '" + worker + "' }.jobs", hasItem((int)
                run));

        queue.epoch(worker, first.job(), metric(1));
        queue.checkpoint(worker, first.job(), 1, "/tmp/nowhere/epoch-1.zip");
        // the test worker now falls silent: no heartbeat; the reaper gives the job back after the lease
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    queue.reapExpired(3);
                    return "queued"
                            .equals(given().get("/api/runs/" + run)
                                    .then()
                                    .extract()
                                    .path("status"));
                });

        assertThatThrownBy(() -> queue.epoch(worker, first.job(), metric(2))).isInstanceOf(LeaseLostException.class);
        assertThat(queue.heartbeat(worker, List.of(first.job())).get(run).leased())
                .isFalse();

        Assignment second = claimOwn(run);
        assertThat(second.job()).isEqualTo(new JobRef(run, 2));
        assertThat(second.resumeEpoch()).isEqualTo(1);
        assertThat(second.checkpoint()).isEqualTo("/tmp/nowhere/epoch-1.zip");
        assertThat(second.done()).extracting(EpochMetric::epoch).containsExactly(1);
        queue.epoch(
                worker, second.job(), metric(1)); // a resumed attempt repeating an epoch replaces it, never doubles it
        queue.epoch(worker, second.job(), metric(2));
        given().get("/api/runs/" + run + "/metrics").then().body("epoch", org.hamcrest.Matchers.contains(1, 2));
        queue.finish(worker, second.job(), io.sweeplab.core.run.RunStore.Outcome.failed("test over"), 0);
    }

    @Test
    void a_job_whose_lease_expires_at_every_attempt_fails_with_a_reason() {
        long run = submit();
        for (int attempt = 1; attempt <= 3; attempt++) {
            Assignment a = claimOwn(run);
            assertThat(a.job().attempt()).isEqualTo(attempt);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        queue.reapExpired(3);
                        String s =
                                given().get("/api/runs/" + run).then().extract().path("status");
                        return !"running".equals(s);
                    });
        }
        given().get("/api/runs/" + run)
                .then()
                .body("status", org.hamcrest.Matchers.equalTo("failed"))
                .body("error", org.hamcrest.Matchers.startsWith("SWL-QUEUE-004 gave up after 3 attempts"));
        assertThat(queue.claim(worker).map(x -> x.job().run())).isNotEqualTo(Optional.of(run));
    }

    @Test
    void jobs_given_back_for_a_missing_plugin_do_not_use_up_the_attempts() {
        long run = submit();
        for (int attempt = 1; attempt <= 5; attempt++) {
            Assignment a = claimOwn(run);
            assertThat(a.job().attempt()).isEqualTo(attempt);
            queue.giveBack(worker, a.job());
            given().get("/api/runs/" + run).then().body("status", org.hamcrest.Matchers.equalTo("queued"));
        }
        assertThatThrownBy(() -> queue.giveBack(worker, new JobRef(run, 5))).isInstanceOf(LeaseLostException.class);
        // a worker that can run it claims it and falls silent: the job is requeued, not failed after 3 attempts
        claimOwn(run);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    queue.reapExpired(3);
                    return !"running"
                            .equals(given().get("/api/runs/" + run)
                                    .then()
                                    .extract()
                                    .path("status"));
                });
        given().get("/api/runs/" + run).then().body("status", org.hamcrest.Matchers.equalTo("queued"));
        Assignment last = claimOwn(run);
        queue.finish(worker, last.job(), io.sweeplab.core.run.RunStore.Outcome.failed("test over"), 0);
    }

    @Test
    void a_run_cancelled_while_its_worker_is_gone_stays_cancelled() {
        long run = submit();
        claimOwn(run);
        given().post("/api/runs/" + run + "/cancel")
                .then()
                .statusCode(200)
                .body("cancelRequested", org.hamcrest.Matchers.equalTo(true));
        // the worker never answers; when its lease expires the run is not trained again
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    queue.reapExpired(3);
                    return !"running"
                            .equals(given().get("/api/runs/" + run)
                                    .then()
                                    .extract()
                                    .path("status"));
                });
        given().get("/api/runs/" + run)
                .then()
                .body("status", org.hamcrest.Matchers.equalTo("cancelled"))
                .body("stopReason", org.hamcrest.Matchers.equalTo("cancelled; its worker stopped answering"));
    }

    @Test
    void a_finish_repeated_by_the_same_attempt_is_answered_as_done_without_writing_again() {
        long run = submit();
        Assignment a = claimOwn(run);
        queue.epoch(worker, a.job(), metric(1));
        queue.checkpoint(worker, a.job(), 1, "/tmp/nowhere/epoch-1.zip");
        queue.checkpoint(worker, a.job(), 2, "/tmp/nowhere/epoch-2.zip");
        io.sweeplab.core.run.RunStore.Outcome done = new io.sweeplab.core.run.RunStore.Outcome(
                io.sweeplab.core.run.RunStatus.SUCCEEDED, null, null, null, null, 0.4, 0.9);
        assertThat(queue.finish(worker, a.job(), done, 2)).containsExactly("/tmp/nowhere/epoch-1.zip");
        // the worker did not get the answer and sends the same finish again
        assertThat(queue.finish(worker, a.job(), done, 1))
                .as("no checkpoint is deleted twice")
                .isEmpty();
        given().get("/api/runs/" + run)
                .then()
                .body("status", org.hamcrest.Matchers.equalTo("succeeded"))
                .body("testAccuracy", org.hamcrest.Matchers.equalTo(0.9f));
        // another attempt, or another outcome than the one recorded, is still fenced off
        assertThatThrownBy(() -> queue.finish(worker, new JobRef(run, 2), done, 1))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> queue.finish(worker, a.job(), io.sweeplab.core.run.RunStore.Outcome.failed("late"), 1))
                .isInstanceOf(LeaseLostException.class);
    }

    @Test
    void workers_are_listed_with_their_device_and_status() {
        given().get("/api/workers")
                .then()
                .statusCode(200)
                .body("find { it.id == '" + embedded.id() + "' }.kind", org.hamcrest.Matchers.equalTo("embedded"))
                .body("find { it.id == '" + embedded.id() + "' }.status", org.hamcrest.Matchers.equalTo("online"))
                .body("find { it.id == '" + embedded.id() + "' }.device", org.hamcrest.Matchers.startsWith("cpu: "))
                .body("find { it.id == '" + embedded.id() + "' }.slots", org.hamcrest.Matchers.equalTo(1));
        given().post("/api/workers/nobody/pause")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.equalTo("no worker 'nobody'"));
    }

    @Test
    void a_paused_worker_is_shown_paused_and_claims_nothing_until_resumed() {
        String at = "find { it.id == '" + worker + "' }";
        given().get("/api/workers").then().body(at + ".paused", org.hamcrest.Matchers.equalTo(false));
        given().post("/api/workers/" + worker + "/pause")
                .then()
                .statusCode(200)
                .body("id", org.hamcrest.Matchers.equalTo(worker))
                .body("paused", org.hamcrest.Matchers.equalTo(true));
        given().get("/api/workers")
                .then()
                .body(at + ".paused", org.hamcrest.Matchers.equalTo(true))
                .body(at + ".status", org.hamcrest.Matchers.equalTo("online"))
                .body("find { it.id == '" + embedded.id() + "' }.paused", org.hamcrest.Matchers.equalTo(true));

        long run = submit();
        assertThat(queue.claim(worker)).as("a paused worker claims nothing").isEmpty();
        given().get("/api/runs/" + run).then().body("status", org.hamcrest.Matchers.equalTo("queued"));

        given().post("/api/workers/" + worker + "/resume")
                .then()
                .statusCode(200)
                .body("paused", org.hamcrest.Matchers.equalTo(false));
        given().get("/api/workers").then().body(at + ".paused", org.hamcrest.Matchers.equalTo(false));
        Assignment a = claimOwn(run);
        queue.finish(worker, a.job(), io.sweeplab.core.run.RunStore.Outcome.failed("claimed by the test"), 0);
        given().get("/api/audit")
                .then()
                .body(
                        "findAll { it.target == 'worker " + worker + "' }.action",
                        contains("worker-resume", "worker-pause"));
    }
}
