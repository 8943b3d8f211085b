package io.sweeplab.client;

import static io.sweeplab.client.RecordingServer.dropConnection;
import static io.sweeplab.client.RecordingServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweeplab.client.RecordingServer.Request;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a local server that records what arrives: MLflow's protocol, batching, retries, never blocking. */
class SweeplabClientTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);

    RecordingServer server;
    SweeplabClient client;

    @BeforeEach
    void server() throws Exception {
        server = new RecordingServer();
    }

    @AfterEach
    void stop() {
        server.release();
        if (client != null) {
            try {
                client.close();
            } catch (SweeplabException reportedByTheTest) {
                // the tests that provoke refusals assert them themselves
            }
        }
        server.close();
    }

    /** A client that sends only when flushed (or 1,000 items wait), with quick retries. */
    SweeplabClient.Builder builder() {
        return SweeplabClient.builder(Map.<String, String>of()::get)
                .trackingUri(server.uri())
                .clock(CLOCK)
                .linger(Duration.ofSeconds(30))
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(2))
                .retryFor(Duration.ofSeconds(20))
                .flushTimeout(Duration.ofSeconds(20));
    }

    SweeplabRun run() {
        client = builder().build();
        return client.startRun("7", "run", Map.of());
    }

    static List<JsonNode> metrics(List<Request> batches) {
        List<JsonNode> all = new ArrayList<>();
        for (Request r : batches) {
            r.json().path("metrics").forEach(all::add);
        }
        return all;
    }

    static long[] steps(List<JsonNode> metrics) {
        return metrics.stream().mapToLong(m -> m.get("step").asLong()).toArray();
    }

    @Test
    void many_points_logged_between_two_sends_go_in_one_log_batch_call() {
        SweeplabRun run = run();
        for (int step = 0; step < 500; step++) {
            run.logMetric("loss", 1.0 / (step + 1), step);
        }

        assertThat(client.flush()).isTrue();

        List<Request> batches = server.requests("/api/2.0/mlflow/runs/log-batch");
        assertThat(batches).hasSize(1);
        JsonNode body = batches.get(0).json();
        assertThat(body.get("run_id").asText()).isEqualTo("r1");
        assertThat(body.get("metrics")).hasSize(500);
        JsonNode first = body.get("metrics").get(0);
        assertThat(iterable(first.fieldNames())).containsExactly("key", "value", "timestamp", "step");
        assertThat(first.get("key").asText()).isEqualTo("loss");
        assertThat(first.get("value").asDouble()).isEqualTo(1.0);
        assertThat(first.get("timestamp").asLong()).isEqualTo(CLOCK.millis());
        assertThat(steps(metrics(batches)))
                .containsExactly(LongStream.range(0, 500).toArray());
    }

    @Test
    void log_batch_calls_keep_mlflows_limits_and_the_order_of_each_kind() {
        SweeplabRun run = run();
        for (int i = 0; i < 150; i++) {
            run.logParam("p" + i, i);
        }
        for (int i = 0; i < 250; i++) {
            run.setTag("t" + i, "v" + i);
        }
        for (int step = 0; step < 2500; step++) {
            run.logMetric("loss", step, step);
        }

        assertThat(client.flush()).isTrue();

        List<Request> batches = server.requests("/runs/log-batch");
        assertThat(batches.size()).isBetween(6, 9); // at least ceil(2,900 / 1,000) and the 100-param/100-tag limits
        List<String> params = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (Request r : batches) {
            JsonNode b = r.json();
            assertThat(b.path("params").size()).isLessThanOrEqualTo(100);
            assertThat(b.path("tags").size()).isLessThanOrEqualTo(100);
            assertThat(b.path("metrics").size()
                            + b.path("params").size()
                            + b.path("tags").size())
                    .isBetween(1, 1000);
            b.path("params")
                    .forEach(p -> params.add(
                            p.get("key").asText() + "=" + p.get("value").asText()));
            b.path("tags").forEach(t -> tags.add(t.get("key").asText()));
        }
        assertThat(params).hasSize(150).startsWith("p0=0", "p1=1").endsWith("p149=149");
        assertThat(tags).hasSize(250).startsWith("t0").endsWith("t249");
        assertThat(steps(metrics(batches)))
                .containsExactly(LongStream.range(0, 2500).toArray());
    }

    @Test
    void a_503_and_a_dropped_connection_are_retried_with_growing_waits_and_the_batch_arrives() {
        server.script("/runs/log-batch", status(503, "busy"), dropConnection(), status(429, "slow down"));
        SweeplabRun run = run();
        for (int step = 0; step < 10; step++) {
            run.logMetric("loss", step, step);
        }

        assertThat(client.flush()).isTrue();

        List<Request> tries = server.requests("/runs/log-batch");
        assertThat(tries).hasSize(4);
        assertThat(tries)
                .allSatisfy(t -> assertThat(t.text()).isEqualTo(tries.get(0).text()));
        assertThat(steps(metrics(tries.subList(3, 4))))
                .containsExactly(LongStream.range(0, 10).toArray());
        // backoff from 100 ms, doubling, with 25 % jitter: waits of >= 75, 150 and 300 ms
        long[] waits = new long[3];
        for (int i = 0; i < 3; i++) {
            waits[i] = Duration.ofNanos(tries.get(i + 1).nanos() - tries.get(i).nanos())
                    .toMillis();
        }
        assertThat(waits[0]).isGreaterThanOrEqualTo(75);
        assertThat(waits[1]).isGreaterThanOrEqualTo(150);
        assertThat(waits[2]).isGreaterThanOrEqualTo(300);
    }

    @Test
    void a_log_call_returns_at_once_while_the_server_hangs_and_a_full_queue_drops_the_oldest_points() {
        server.script("/runs/log-batch", server.hang());
        client = builder().linger(Duration.ZERO).queueCapacity(1000).build();
        SweeplabRun run = client.startRun("7", "run", Map.of());
        run.logMetric("loss", -1, -1);
        awaitRequests("/runs/log-batch", 1); // the sender is now stuck in the hanging call

        long[] nanos = new long[10_000];
        long t0 = System.nanoTime();
        for (int step = 0; step < nanos.length; step++) {
            long s = System.nanoTime();
            run.logMetric("loss", step, step);
            nanos[step] = System.nanoTime() - s;
        }
        long total = System.nanoTime() - t0;

        Arrays.sort(nanos);
        assertThat(Duration.ofNanos(nanos[nanos.length / 2])).isLessThan(Duration.ofMillis(1)); // microseconds
        assertThat(Duration.ofNanos(total)).isLessThan(Duration.ofSeconds(2));
        assertThat(client.droppedPoints()).isEqualTo(9000);

        server.release();
        assertThat(client.flush()).isTrue();
        List<JsonNode> sent = metrics(server.requests("/runs/log-batch"));
        long[] expected = LongStream.concat(LongStream.of(-1), LongStream.range(9000, 10_000))
                .toArray();
        assertThat(steps(sent)).containsExactly(expected); // the newest 1,000 survived
    }

    @Test
    void flush_and_close_wait_no_longer_than_told_when_the_server_hangs() {
        server.script("/runs/log-batch", server.hang());
        client = builder().flushTimeout(Duration.ofMillis(300)).build();
        SweeplabRun run = client.startRun("7", "run", Map.of());
        run.logMetric("loss", 1, 0);

        long t0 = System.nanoTime();
        assertThat(client.flush(Duration.ofMillis(300))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(2));

        long t1 = System.nanoTime();
        try {
            client.close();
        } catch (SweeplabException interrupted) {
            // the hanging call, cut short by close, is reported as not sent
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(3));
        assertThatThrownBy(() -> run.logMetric("loss", 2, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_refused_call_is_not_retried_and_is_thrown_once_from_flush() {
        server.script(
                "/runs/log-batch",
                status(400, "{\"error_code\": \"INVALID_PARAMETER_VALUE\", \"message\": \"Invalid metric key\"}"));
        SweeplabRun run = run();
        run.logMetric("bad key?", 1, 0);

        assertThatThrownBy(client::flush)
                .isInstanceOfSatisfying(SweeplabException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.errorCode()).contains("INVALID_PARAMETER_VALUE");
                    assertThat(e.refused()).isTrue();
                })
                .hasMessageContaining("Invalid metric key");
        assertThat(server.requests("/runs/log-batch")).hasSize(1);

        run.logMetric("loss", 1, 0);
        assertThat(client.flush()).isTrue(); // reported once; the next call goes through
        assertThat(server.requests("/runs/log-batch")).hasSize(2);
    }

    @Test
    void a_server_that_stays_unavailable_is_given_up_on_after_retry_for_and_reported() {
        RecordingServer.Answer[] busy = new RecordingServer.Answer[100];
        Arrays.fill(busy, status(503, "busy"));
        server.script("/runs/log-batch", busy);
        client = builder().retryFor(Duration.ofMillis(500)).build();
        SweeplabRun run = client.startRun("7", "run", Map.of());
        run.logMetric("loss", 1, 0);

        assertThatThrownBy(client::flush).isInstanceOfSatisfying(SweeplabException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(503);
            assertThat(e.refused()).isFalse();
        });
        assertThat(server.requests("/runs/log-batch").size()).isBetween(2, 10);
    }

    @Test
    void an_experiment_is_found_by_name_or_created() {
        client = builder().build();

        assertThat(client.experimentId("vision/fashion")).isEqualTo("7");
        assertThat(client.experimentId("vision/fashion")).isEqualTo("7");

        List<Request> lookups = server.requests("/api/2.0/mlflow/experiments/get-by-name");
        assertThat(lookups).hasSize(2).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.query()).isEqualTo("experiment_name=vision%2Ffashion");
        });
        List<Request> creates = server.requests("/api/2.0/mlflow/experiments/create");
        assertThat(creates).hasSize(1);
        assertThat(creates.get(0).json().get("name").asText()).isEqualTo("vision/fashion");
    }

    @Test
    void a_run_is_created_logs_in_order_uploads_through_the_artifact_proxy_and_ends_with_its_status() throws Exception {
        client = builder().build();
        SweeplabRun run = client.startRun("7", "dense 128", Map.of("team", "vision"));
        run.logParam("learning_rate", 0.01);
        run.setTag("framework", "dl4j");
        run.logMetric("loss", 0.5, 1234L, 3);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("checkpoint", ".zip");
        java.nio.file.Files.writeString(file, "zip bytes");
        run.logArtifact(file, "model/checkpoint.zip");
        run.logArtifact("model summary.txt", "Layer (type)".getBytes(StandardCharsets.UTF_8));

        assertThat(run.end(RunStatus.FINISHED)).isTrue();

        assertThat(run.id()).isEqualTo("r1");
        List<String> calls =
                server.requests().stream().map(r -> r.method() + " " + r.path()).toList();
        assertThat(calls)
                .containsExactly(
                        "POST /api/2.0/mlflow/runs/create",
                        "POST /api/2.0/mlflow/runs/log-batch",
                        "PUT /api/2.0/mlflow-artifacts/artifacts/7/r1/artifacts/model/checkpoint.zip",
                        "PUT /api/2.0/mlflow-artifacts/artifacts/7/r1/artifacts/model summary.txt",
                        "POST /api/2.0/mlflow/runs/update");
        JsonNode create = server.requests("/runs/create").get(0).json();
        assertThat(create.get("experiment_id").asText()).isEqualTo("7");
        assertThat(create.get("run_name").asText()).isEqualTo("dense 128");
        assertThat(create.get("start_time").asLong()).isEqualTo(CLOCK.millis());
        assertThat(create.get("tags").findValuesAsText("key")).contains("team", "mlflow.user", "mlflow.source.type");
        JsonNode batch = server.requests("/runs/log-batch").get(0).json();
        assertThat(batch.get("params").get(0).get("key").asText()).isEqualTo("learning_rate");
        assertThat(batch.get("params").get(0).get("value").asText()).isEqualTo("0.01");
        assertThat(batch.get("tags").get(0).get("value").asText()).isEqualTo("dl4j");
        assertThat(batch.get("metrics").get(0).get("timestamp").asLong()).isEqualTo(1234L);
        assertThat(batch.get("metrics").get(0).get("step").asLong()).isEqualTo(3);
        List<Request> uploads =
                server.requests().stream().filter(r -> r.method().equals("PUT")).toList();
        assertThat(uploads.get(0).text()).isEqualTo("zip bytes");
        assertThat(uploads.get(1).text()).isEqualTo("Layer (type)");
        JsonNode update = server.requests("/runs/update").get(0).json();
        assertThat(update.get("run_id").asText()).isEqualTo("r1");
        assertThat(update.get("status").asText()).isEqualTo("FINISHED");
        assertThat(update.get("end_time").asLong()).isEqualTo(CLOCK.millis());
    }

    @Test
    void credentials_come_from_mlflows_environment_variables_unless_given() {
        String basic = "Basic " + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));
        assertThat(authorizationSent(Map.of(
                        "MLFLOW_TRACKING_URI",
                        server.uri(),
                        "MLFLOW_TRACKING_USERNAME",
                        "alice",
                        "MLFLOW_TRACKING_PASSWORD",
                        "secret")))
                .isEqualTo(basic);
        assertThat(authorizationSent(Map.of("MLFLOW_TRACKING_URI", server.uri(), "MLFLOW_TRACKING_TOKEN", "tok-1")))
                .isEqualTo("Bearer tok-1");
        assertThat(authorizationSent(Map.of("MLFLOW_TRACKING_URI", server.uri())))
                .isNull();

        SweeplabClient given = SweeplabClient.builder(Map.of("MLFLOW_TRACKING_TOKEN", "tok-1")::get)
                .trackingUri(server.uri())
                .credentials("bob", "pw")
                .build();
        given.experimentId("x");
        given.close();
        assertThat(last().header("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("bob:pw".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() ->
                        SweeplabClient.builder(Map.<String, String>of()::get).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MLFLOW_TRACKING_URI");
        assertThatThrownBy(() -> SweeplabClient.builder(Map.of("MLFLOW_TRACKING_URI", "databricks")::get)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("http(s)");
    }

    @Test
    void artifacts_go_where_the_runs_artifact_uri_says() {
        assertThat(SweeplabClient.artifactRoot("mlflow-artifacts:/7/r1/artifacts", "7", "r1"))
                .isEqualTo("7/r1/artifacts");
        assertThat(SweeplabClient.artifactRoot("mlflow-artifacts://sweeplab:8080/team/7/r1/artifacts/", "7", "r1"))
                .isEqualTo("team/7/r1/artifacts");
        assertThat(SweeplabClient.artifactRoot("s3://bucket/7/r1", "7", "r1")).isEqualTo("7/r1/artifacts");
        assertThat(SweeplabClient.artifactRoot(null, "7", "r1")).isEqualTo("7/r1/artifacts");
    }

    private String authorizationSent(Map<String, String> environment) {
        try (SweeplabClient c = SweeplabClient.builder(environment::get).build()) {
            c.experimentId("x");
        }
        return last().header("Authorization");
    }

    private Request last() {
        List<Request> all = server.requests();
        return all.get(all.size() - 1);
    }

    private void awaitRequests(String endpoint, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.requests(endpoint).size() < n) {
            assertThat(System.nanoTime()).as("waiting for %d %s", n, endpoint).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        return StreamSupport.stream(((Iterable<String>) () -> it).spliterator(), false)
                .toList();
    }
}
