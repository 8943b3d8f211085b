package io.sweeplab.app.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sweeplab.app.KubernetesManifests;
import io.sweeplab.app.TestPlatform;
import io.sweeplab.app.db.Jdbc;
import io.sweeplab.app.worker.InProcessWorker;
import io.sweeplab.core.queue.Assignment;
import io.sweeplab.core.queue.JobQueue;
import io.sweeplab.core.queue.WorkerRegistry;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The queries of docker/kubernetes/keda.yaml, read from the manifest (not from the constants), run against the real
 * schema: they count the queued and the held jobs of each kind, which is what KEDA scales the workers on.
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class KedaQueriesTest {

    @Inject
    Jdbc jdbc;

    @Inject
    InProcessWorker embedded;

    @Inject
    JobQueue queue;

    @Inject
    WorkerRegistry registry;

    record Counts(long cpuQueued, long gpuQueued, long cpuBusy, long gpuBusy) {}

    final Map<String, String> queries = Map.of(
            "cpuQueued", KubernetesManifests.kedaQuery("sweeplab-worker-cpu", "queued"),
            "gpuQueued", KubernetesManifests.kedaQuery("sweeplab-worker-gpu", "queued"),
            "cpuBusy", KubernetesManifests.kedaQuery("sweeplab-worker-cpu", "busy"),
            "gpuBusy", KubernetesManifests.kedaQuery("sweeplab-worker-gpu", "busy"));

    Counts counts() {
        Map<String, Long> c = queries.entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey,
                        e -> jdbc.one(e.getValue(), rs -> rs.getLong(1)).orElseThrow()));
        return new Counts(c.get("cpuQueued"), c.get("gpuQueued"), c.get("cpuBusy"), c.get("gpuBusy"));
    }

    long submit(long experiment, boolean gpu) {
        return ((Number) given().contentType(ContentType.JSON)
                        .body("""
                        {"experiment": %d, "architecture": "dense", "epochs": 1, "gpu": %b,
                         "data": {"trainLimit": 200, "testLimit": 64}}""".formatted(experiment, gpu))
                        .post("/api/runs")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
    }

    @Test
    void the_keda_queries_count_the_queued_and_the_held_jobs_of_each_kind() {
        long experiment = TestPlatform.experiment("keda-team", "KEDA team", "KEDA experiment");
        embedded.pause(true);
        List<Long> runs = new ArrayList<>();
        String worker = TestPlatform.registerTestWorker(registry);
        Assignment claimed = null;
        try {
            // nothing moves while we count: no worker takes a job, none held by an earlier test's worker expires
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> counts().cpuBusy() + counts().gpuBusy() == 0);
            Counts before = counts();
            int cpu = 3;
            int gpu = 2;
            for (int i = 0; i < cpu; i++) {
                runs.add(submit(experiment, false));
            }
            for (int i = 0; i < gpu; i++) {
                runs.add(submit(experiment, true));
            }

            assertThat(counts()).isEqualTo(new Counts(before.cpuQueued() + cpu, before.gpuQueued() + gpu, 0, 0));

            // a CPU worker takes one: it leaves the queue and counts as held, so KEDA keeps its worker
            claimed = queue.claim(worker).orElseThrow();
            assertThat(claimed.spec().requiresGpu()).isFalse();
            assertThat(counts()).isEqualTo(new Counts(before.cpuQueued() + cpu - 1, before.gpuQueued() + gpu, 1, 0));
        } finally {
            if (claimed != null) {
                queue.release(worker, claimed.job());
            }
            runs.forEach(id -> given().post("/api/runs/" + id + "/cancel"));
            embedded.pause(false);
        }
    }
}
