package io.sweeplab.app.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sweeplab.app.TestPlatform;
import io.sweeplab.app.db.Jdbc;
import io.sweeplab.app.worker.InProcessWorker;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The operators' metrics at /q/metrics, scraped the way Prometheus does: without credentials. */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class PlatformMetricsTest {

    @Inject
    Jdbc jdbc;

    @Inject
    InProcessWorker embedded;

    static long experiment;

    long experiment() {
        if (experiment == 0) {
            experiment = TestPlatform.experiment("metrics-secret-team", "Secret Team", "Secret experiment");
        }
        return experiment;
    }

    long submit() {
        return ((Number) given().contentType(ContentType.JSON)
                        .body("""
                        {"experiment": %d, "architecture": "dense", "epochs": 1,
                         "data": {"trainLimit": 200, "testLimit": 64}}""".formatted(experiment()))
                        .post("/api/runs")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"))
                .longValue();
    }

    static String scrape() {
        return given().auth()
                .none()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    /** The value of the sample whose name and labels start the line as given, if the scrape has it. */
    static OptionalDouble sample(String scrape, String series) {
        return scrape.lines()
                .filter(l -> l.startsWith(series + " ") || l.startsWith(series.replace("}", ",")))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst();
    }

    @Test
    void a_trained_run_shows_in_the_queue_worker_run_epoch_and_http_metrics_with_no_names() {
        long run = submit();
        Awaitility.await()
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/api/runs/" + run).then().extract().path("status"), "succeeded"::equals);
        given().get("/api/runs/" + run).then().statusCode(200);
        List<String> statuses = given().get("/api/workers").then().extract().path("status");
        long online = statuses.stream().filter("online"::equals).count();

        String metrics = scrape();

        assertThat(sample(metrics, "sweeplab_queue_depth{kind=\"cpu\"}")).isPresent();
        assertThat(sample(metrics, "sweeplab_queue_depth{kind=\"gpu\"}")).isPresent();
        assertThat(sample(metrics, "sweeplab_jobs_leased")).isPresent();
        assertThat(online).isGreaterThanOrEqualTo(1);
        assertThat(sample(metrics, "sweeplab_workers_online")).hasValue((double) online);
        assertThat(sample(metrics, "sweeplab_runs_started_total").orElseThrow()).isGreaterThanOrEqualTo(1);
        assertThat(sample(metrics, "sweeplab_runs_finished_total{status=\"succeeded\"}")
                        .orElseThrow())
                .isGreaterThanOrEqualTo(1);
        assertThat(sample(metrics, "sweeplab_epoch_seconds_count").orElseThrow())
                .isGreaterThanOrEqualTo(1);
        assertThat(sample(metrics, "sweeplab_epoch_seconds_bucket{le=\"+Inf\"}").orElseThrow())
                .isGreaterThanOrEqualTo(1);
        assertThat(sample(
                                metrics,
                                "http_server_requests_seconds_count{method=\"POST\",outcome=\"SUCCESS\","
                                        + "status=\"201\",uri=\"/api/runs\"}")
                        .orElseThrow())
                .isGreaterThanOrEqualTo(1);
        assertThat(metrics).contains("uri=\"/api/runs/{id}\"").doesNotContain("uri=\"/api/runs/" + run + "\"");
        // aggregate numbers only: nothing names a team or an experiment
        assertThat(metrics).doesNotContain("metrics-secret-team", "Secret Team", "Secret experiment");
    }

    @Test
    void the_queue_depth_query_counts_the_queued_jobs() {
        embedded.pause(true);
        try {
            long before = count(PlatformMetrics.QUEUE_DEPTH_CPU_SQL);
            long gpuBefore = count(PlatformMetrics.QUEUE_DEPTH_GPU_SQL);
            List<Long> runs = List.of(submit(), submit());

            assertThat(count(PlatformMetrics.QUEUE_DEPTH_CPU_SQL) - before).isEqualTo(2);
            assertThat(count(PlatformMetrics.QUEUE_DEPTH_GPU_SQL)).isEqualTo(gpuBefore);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> sample(scrape(), "sweeplab_queue_depth{kind=\"cpu\"}")
                            .equals(OptionalDouble.of(before + 2)));
            runs.forEach(id -> given().post("/api/runs/" + id + "/cancel"));
        } finally {
            embedded.pause(false);
        }
    }

    long count(String sql) {
        return jdbc.one(sql, rs -> rs.getLong(1)).orElseThrow();
    }
}
