package io.sweeplab.app.mlflow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sweeplab.app.TestPlatform;
import io.sweeplab.client.SweeplabClient;
import io.sweeplab.client.dl4j.SweeplabListener;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A DL4J program of the user's own, tracked by {@code sweeplab-client}'s listener against the real platform through
 * the MLflow REST API: the run shows in Sweeplab's run list as an external run, with its metrics and artifacts.
 */
@QuarkusTest
@WithTestResource(TestPlatform.class)
class Dl4jListenerPlatformTest {

    @TestHTTPResource("/")
    URL platform;

    static DataSet data(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, 4);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, x.getDouble(i, 0) + x.getDouble(i, 1) > 0 ? 1 : 0, 1.0);
        }
        return new DataSet(x, y);
    }

    @Test
    void a_dl4j_program_tracked_by_the_listener_is_an_external_run_with_its_curves_and_artifacts() {
        long experiment = TestPlatform.experiment("dl4j-team", "DL4J team", "tracked");
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(new Adam(0.01))
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(4)
                        .nOut(8)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(8)
                        .nOut(2)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        net.init();
        DataSetIterator train = new ListDataSetIterator<>(data(64, 1).asList(), 16);
        DataSetIterator test = new ListDataSetIterator<>(data(32, 2).asList(), 16);

        String runId;
        try (SweeplabClient client = SweeplabClient.builder()
                .trackingUri(platform.toString())
                .credentials("admin", TestPlatform.ADMIN_PASSWORD)
                .flushTimeout(Duration.ofSeconds(30))
                .build()) {
            var tracking = SweeplabListener.builder(client, "dl4j-team/tracked")
                    .runName("dense 8")
                    .validation(test)
                    .start();
            net.setListeners(tracking);
            net.fit(train, 2);
            assertThat(tracking.finish()).isTrue();
            runId = tracking.run().id();
        }

        // Sweeplab's own view of it
        JsonPath runs = given().get("/api/runs?experiment=" + experiment)
                .then()
                .statusCode(200)
                .body("size()", equalTo(1))
                .extract()
                .jsonPath();
        assertThat(runs.getString("[0].source")).isEqualTo("external");
        assertThat(runs.getString("[0].status")).isEqualTo("succeeded");

        // MLflow's: the histories the listener logged, and the artifacts
        JsonPath loss = history(runId, "loss");
        assertThat(loss.getList("metrics.step", Integer.class)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(history(runId, "epoch_loss").getList("metrics.step", Integer.class))
                .containsExactly(1, 2);
        assertThat(history(runId, "val_accuracy").getList("metrics.step", Integer.class))
                .containsExactly(1, 2);
        JsonPath run = given().get("/api/2.0/mlflow/runs/get?run_id=" + runId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(run.getString("run.info.status")).isEqualTo("FINISHED");
        List<Map<String, String>> params = run.getList("run.data.params");
        assertThat(params).contains(Map.of("key", "layer.0.type", "value", "DenseLayer"));
        List<String> files = given().get("/api/2.0/mlflow/artifacts/list?run_id=" + runId)
                .then()
                .statusCode(200)
                .extract()
                .path("files.path");
        assertThat(files).contains(SweeplabListener.SUMMARY, "model");
    }

    private static JsonPath history(String runId, String key) {
        return given().get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=" + key)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
