package io.sweeplab.app.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sweeplab.app.TestPlatform;
import io.sweeplab.artifacts.ArtifactCodec;
import io.sweeplab.plugin.api.Artifact;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lab through the REST API alone, on small subsets of the real Fashion-MNIST. */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class RunResourceTest {

    static long experiment;

    @BeforeEach
    void experiment() {
        if (experiment == 0) {
            given().contentType(ContentType.JSON)
                    .body("{\"slug\": \"runs-team\", \"name\": \"Runs\"}")
                    .post("/api/teams");
            experiment = ((Number) given().contentType(ContentType.JSON)
                            .body("{\"name\": \"Lab\"}")
                            .post("/api/teams/runs-team/experiments")
                            .then()
                            .statusCode(201)
                            .extract()
                            .path("id"))
                    .longValue();
        }
    }

    static long submit(String body) {
        return ((Number) given().contentType(ContentType.JSON)
                        .body(body.replace("$EXP", Long.toString(experiment)))
                        .post("/api/runs")
                        .then()
                        .statusCode(201)
                        .body("status", equalTo("queued"))
                        .extract()
                        .path("id"))
                .longValue();
    }

    static JsonPath awaitFinished(long id) {
        Awaitility.await()
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    String status =
                            given().get("/api/runs/" + id).then().extract().path("status");
                    return !status.equals("queued") && !status.equals("running");
                });
        return given().get("/api/runs/" + id).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void a_dense_run_trains_and_records_every_epoch() {
        long id = submit("""
                {"experiment": $EXP, "architecture": "dense", "epochs": 2, "seed": 7,
                 "data": {"trainLimit": 2000, "testLimit": 500}}""");
        JsonPath run = awaitFinished(id);

        assertThat(run.getString("status")).isEqualTo("succeeded");
        assertThat(run.getInt("epochs")).isEqualTo(2);
        assertThat(run.getInt("epochsDone")).isEqualTo(2);
        assertThat(run.getLong("summary.totalParams")).isEqualTo(101_770);
        assertThat(run.getList("summary.layers.type")).containsExactly("Flatten", "Dense", "Dense");
        assertThat(run.getString("device")).startsWith("cpu: ");
        assertThat(run.getDouble("testAccuracy")).isGreaterThan(0.6);
        assertThat(run.getMap("params")).isEqualTo(Map.of("units", 128));

        given().get("/api/runs/" + id + "/metrics")
                .then()
                .statusCode(200)
                .body("epoch", contains(1, 2))
                .body("[1].trainLoss", greaterThan(0f))
                .body("[1].valAccuracy", greaterThan(0.6f))
                .body("[1].imagesPerSecond", greaterThan(0f))
                .body("[1].seconds", greaterThan(0f));
        given().get("/api/runs?experiment=" + experiment).then().statusCode(200).body("id", hasItem((int) id));
        assertThat(run.getString("device")).matches("cpu: .*, fast \\(simd-\\d+bit\\) engine");
        // a finished run keeps the checkpoint of the weights it ended with, the others served resuming only
        java.nio.file.Path dir = java.nio.file.Path.of(
                org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("sweeplab.home", String.class),
                "checkpoints",
                "run-" + id);
        assertThat(dir.toFile().list()).containsExactly("epoch-2.zip");
    }

    @Test
    void a_cnn_run_stores_its_summary_and_the_lab_activation_maps() {
        long id = submit("""
                {"experiment": $EXP, "architecture": "cnn", "params": {"filters": [32, 64]}, "epochs": 1,
                 "data": {"trainLimit": 600, "testLimit": 200}}""");
        JsonPath run = awaitFinished(id);

        assertThat(run.getString("status")).isEqualTo("succeeded");
        assertThat(run.getLong("summary.totalParams")).isEqualTo(225_034);
        assertThat(run.getList("summary.layers.outputShape")).contains(List.of(11, 11, 64), List.of(5, 5, 64));

        given().get("/api/runs/" + id + "/artifacts")
                .then()
                .statusCode(200)
                .body("name", contains("activations"))
                .body("kind", contains("tensors"));
        JsonPath maps = given().get("/api/runs/" + id + "/artifacts/activations")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(maps.getString("attributes.images")).isEqualTo("0,23,28");
        assertThat(maps.getList("tensors.name"))
                .containsExactly("conv2d_1", "max_pooling2d_1", "conv2d_2", "max_pooling2d_2");
        assertThat(maps.getList("tensors[2].shape")).containsExactly(3, 64, 11, 11);
        Artifact.Tensors decoded =
                (Artifact.Tensors) ArtifactCodec.decodeKnown(given().get("/api/runs/" + id + "/artifacts/activations")
                        .then()
                        .extract()
                        .asByteArray());
        assertThat(decoded.tensors().get(0).data()).hasSize(3 * 32 * 26 * 26);
        assertThat(decoded.tensors().get(0).axes())
                .extracting(io.sweeplab.plugin.api.Tensor.Axis::name)
                .containsExactly("image", "channel", "y", "x");
        assertThat(decoded.tensors().get(0).axes().get(0).labels()).containsExactly("0", "23", "28");
        given().get("/api/runs/" + id + "/artifacts/confusion")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void a_loss_threshold_run_stops_early_with_its_reason() {
        long id = submit("""
                {"experiment": $EXP, "architecture": "dense", "epochs": 5,
                 "callbacks": [{"id": "loss-threshold", "params": {"threshold": 3.0}}],
                 "data": {"trainLimit": 1000, "testLimit": 200}}""");
        JsonPath run = awaitFinished(id);

        assertThat(run.getString("status")).isEqualTo("stopped");
        assertThat(run.getString("stoppedBy")).isEqualTo("loss-threshold");
        assertThat(run.getInt("stoppedEpoch")).isEqualTo(1);
        assertThat(run.getString("stopReason")).matches("training loss \\d\\.\\d{4} fell below 3\\.0000 at epoch 1");
        given().get("/api/runs/" + id + "/metrics").then().body("epoch", contains(1));
    }

    @Test
    void a_queued_or_running_run_can_be_cancelled_and_a_finished_one_not() {
        long id = submit("""
                {"experiment": $EXP, "architecture": "cnn", "epochs": 50, "data": {"trainLimit": 5000}}""");
        given().post("/api/runs/" + id + "/cancel").then().statusCode(200);
        JsonPath run = awaitFinished(id);
        assertThat(run.getString("status")).isEqualTo("cancelled");
        given().post("/api/runs/" + id + "/cancel")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", equalTo("run " + id + " already cancelled"));
    }

    @Test
    void a_run_that_requires_a_gpu_waits_for_a_gpu_worker() {
        long id = submit("""
                {"experiment": $EXP, "architecture": "dense", "epochs": 1, "gpu": true,
                 "data": {"trainLimit": 100, "testLimit": 50}}""");
        // the embedded worker is a CPU worker: it never claims this run, whatever else it trains meanwhile
        long other = submit("""
                {"experiment": $EXP, "architecture": "dense", "epochs": 1, "data": {"trainLimit": 100, "testLimit": 50}}""");
        assertThat(awaitFinished(other).getString("status")).isEqualTo("succeeded");
        given().get("/api/runs/" + id).then().body("status", equalTo("queued")).body("gpu", equalTo(true));
        given().post("/api/runs/" + id + "/cancel").then().statusCode(200).body("status", equalTo("cancelled"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"experiment": $EXP, "architecture": "resnet"}                                       | architecture            | unknown architecture 'resnet'; available: acme-graph, acme-picky, cnn, dense
            {"experiment": $EXP, "architecture": "acme-graph"}                                   | architecture            | architecture 'acme-graph' describes a graph network (ComputationGraphConfiguration); Sweeplab trains layer stacks (MultiLayerConfiguration) only
            {"experiment": $EXP, "architecture": "acme-picky", "params": {"width": 7}}           | params.width            | width must be even
            {"experiment": $EXP, "architecture": "dense", "epochs": -1}                           | epochs                  | must be between 1 and 1000
            {"experiment": $EXP, "architecture": "cnn", "params": {"filters": [32, 0]}}           | params.filters          | element 1 (0) must be between 1 and 1024
            {"experiment": $EXP, "architecture": "cnn", "params": {"convLayers": 4}}              | params.convLayers       | 4 convolution blocks with kernel 3 and valid padding do not fit a 28x28 image: block 4 gets less than 2x2 to pool (at most 3 fit)
            {"experiment": $EXP, "architecture": "cnn", "params": {"dropout": 0.5}}               | params.dropout          | unknown parameter; known: convLayers, filters, kernel, padding, units
            {"experiment": $EXP, "architecture": "dense", "callbacks": [{"id": "loss-threshold", "params": {"threshold": -1}}]} | callbacks[0].params.threshold | must be between 0 and 1000
            {"experiment": $EXP, "architecture": "dense", "callbacks": [{"id": "patience"}]}     | callbacks[0].id         | unknown callback 'patience'; available: accuracy-threshold, acme-patience, early-stopping, loss-threshold
            {"experiment": $EXP, "architecture": "dense", "data": {"trainLimit": 70000}}          | data.trainLimit         | must be between 0 and 60000
            {"experiment": $EXP, "architecture": "dense", "learningRate": 0}                      | learningRate            | must be greater than 0 and at most 10
            {"experiment": $EXP, "architecture": "dense", "epochs": "five"}                       | epochs                  | must be a whole number
            {"architecture": "dense"}                                                             | experiment              | is required
            {"experiment": 999999, "architecture": "dense"}                                       | experiment              | no experiment 999999
            {"experiment": $EXP, "architecture": "dense", "colour": "red"}                         | colour                  | unknown field; known: architecture, batchSize, callbacks, data, dataset, epochs, experiment, gpu, learningRate, params, seed, visualizers
            """)
    void invalid_runs_are_400_naming_the_field(String body, String field, String message) {
        given().contentType(ContentType.JSON)
                .body(body.replace("$EXP", Long.toString(experiment)))
                .post("/api/runs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo(field))
                .body("errors.find { it.field == '" + field + "' }.message", equalTo(message));
    }

    @Test
    void unknown_runs_are_404() {
        given().get("/api/runs/424242").then().statusCode(404).body("detail", equalTo("no run 424242"));
        given().get("/api/runs/424242/metrics").then().statusCode(404);
        given().post("/api/runs/424242/cancel").then().statusCode(404);
        given().get("/api/runs?experiment=424242").then().statusCode(404);
        given().get("/api/runs?experiment=abc").then().statusCode(400).body("field", equalTo("experiment"));
        given().get("/api/runs/abc").then().statusCode(404).body("detail", startsWith("no object with id"));
        given().get("/api/runs/1/nothing").then().statusCode(404).body("detail", matchesPattern("no API resource .*"));
    }
}
