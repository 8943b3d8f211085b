package io.sweeplab.client.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweeplab.client.RecordingServer;
import io.sweeplab.client.RecordingServer.Request;
import io.sweeplab.client.SweeplabClient;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.CollectScoresListener;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A plain DL4J program, tracked by the listener, against a local server that records what arrives. */
class SweeplabListenerTest {

    RecordingServer server;
    SweeplabClient client;

    @BeforeEach
    void start() throws Exception {
        server = new RecordingServer();
        client = SweeplabClient.builder()
                .trackingUri(server.uri())
                .linger(Duration.ofMillis(50))
                .flushTimeout(Duration.ofSeconds(30))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    /** Two classes of four features: the sign of the first two's sum. */
    static DataSet data(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, 4);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, x.getDouble(i, 0) + x.getDouble(i, 1) > 0 ? 1 : 0, 1.0);
        }
        return new DataSet(x, y);
    }

    static MultiLayerNetwork network() {
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
        return net;
    }

    @Test
    void a_small_training_loop_is_tracked_params_losses_epochs_summary_checkpoint_and_status() throws Exception {
        DataSetIterator train = new ListDataSetIterator<>(data(64, 1).asList(), 16);
        DataSetIterator test = new ListDataSetIterator<>(data(32, 2).asList(), 16);
        MultiLayerNetwork net = network();
        CollectScoresListener scores = new CollectScoresListener(1, false);

        // the program's own two lines, and the end
        var tracking = SweeplabListener.builder(client, "team/experiment")
                .runName("dense 8")
                .validation(test)
                .params(Map.of("data", "generated"))
                .start();
        net.setListeners(tracking, scores);
        net.fit(train, 3);
        assertThat(tracking.finish()).isTrue();

        assertThat(server.requests("/experiments/get-by-name").get(0).query())
                .isEqualTo("experiment_name=team%2Fexperiment");
        JsonNode create = server.requests("/runs/create").get(0).json();
        assertThat(create.get("run_name").asText()).isEqualTo("dense 8");
        assertThat(create.get("experiment_id").asText()).isEqualTo("7");

        List<Request> batches = server.requests("/runs/log-batch");
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, List<JsonNode>> metrics = new LinkedHashMap<>();
        for (Request r : batches) {
            r.json()
                    .path("params")
                    .forEach(p ->
                            params.put(p.get("key").asText(), p.get("value").asText()));
            r.json()
                    .path("metrics")
                    .forEach(m -> metrics.computeIfAbsent(m.get("key").asText(), k -> new ArrayList<>())
                            .add(m));
        }
        assertThat(params)
                .containsEntry("model_class", "MultiLayerNetwork")
                .containsEntry("num_params", String.valueOf(net.numParams()))
                .containsEntry("num_layers", "2")
                .containsEntry("batch_size", "16")
                .containsEntry("seed", "42")
                .containsEntry("updater", "Adam")
                .containsEntry("learning_rate", "0.01")
                .containsEntry("layer.0.type", "DenseLayer")
                .containsEntry("layer.0.n_in", "4")
                .containsEntry("layer.0.n_out", "8")
                .containsEntry("layer.0.activation", "relu")
                .containsEntry("layer.1.type", "OutputLayer")
                .containsEntry("layer.1.n_out", "2")
                .containsEntry("layer.1.activation", "softmax")
                .containsEntry("layer.1.loss", "LossMCXENT")
                .containsEntry("data", "generated");

        // per iteration: 3 epochs of 4 minibatches, the scores DL4J itself reports
        List<JsonNode> loss = metrics.get("loss");
        assertThat(loss)
                .extracting(m -> m.get("step").asLong())
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        double[] expected = scores.getListScore().toDoubleArray();
        assertThat(loss).extracting(m -> m.get("value").asDouble()).containsExactly(box(expected));

        // per epoch, numbered from 1
        assertThat(metrics.get("epoch_loss"))
                .extracting(m -> m.get("step").asLong())
                .containsExactly(1L, 2L, 3L);
        for (int e = 0; e < 3; e++) {
            double mean = (expected[4 * e] + expected[4 * e + 1] + expected[4 * e + 2] + expected[4 * e + 3]) / 4;
            assertThat(metrics.get("epoch_loss").get(e).get("value").asDouble()).isCloseTo(mean, within(1e-9));
        }
        assertThat(metrics.get("val_accuracy"))
                .extracting(m -> m.get("step").asLong())
                .containsExactly(1L, 2L, 3L);
        assertThat(metrics.get("val_loss"))
                .extracting(m -> m.get("step").asLong())
                .containsExactly(1L, 2L, 3L);
        test.reset();
        double finalAccuracy = net.evaluate(test).accuracy();
        assertThat(metrics.get("val_accuracy").get(2).get("value").asDouble()).isEqualTo(finalAccuracy);
        assertThat(metrics.get("val_loss").get(2).get("value").asDouble()).isPositive();

        // the summary, the checkpoint (the trained model itself), then FINISHED, last
        Request summary = only(server.requests("/7/r1/artifacts/" + SweeplabListener.SUMMARY));
        assertThat(summary.method()).isEqualTo("PUT");
        assertThat(summary.path()).startsWith("/api/2.0/mlflow-artifacts/artifacts/");
        assertThat(summary.text()).isEqualTo(net.summary()).contains("DenseLayer");
        Request checkpoint =
                only(server.requests("/api/2.0/mlflow-artifacts/artifacts/7/r1/artifacts/model/model.zip"));
        MultiLayerNetwork restored =
                ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(checkpoint.body()));
        assertThat(restored.params()).isEqualTo(net.params());
        List<Request> all = server.requests();
        Request last = all.get(all.size() - 1);
        assertThat(last.path()).isEqualTo("/api/2.0/mlflow/runs/update");
        assertThat(last.json().get("status").asText()).isEqualTo("FINISHED");
        assertThat(last.json().get("run_id").asText()).isEqualTo("r1");
        assertThat(tracking.finish()).isTrue(); // once only
        assertThat(server.requests("/runs/update")).hasSize(1);
    }

    @Test
    void a_computation_graph_is_described_by_its_vertices() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(7)
                .updater(new Adam(0.005))
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "hidden",
                        new DenseLayer.Builder()
                                .nIn(4)
                                .nOut(6)
                                .activation(Activation.TANH)
                                .build(),
                        "in")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nIn(6)
                                .nOut(2)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "hidden")
                .setOutputs("out")
                .build());
        graph.init();
        var tracking = SweeplabListener.start(client, "team/experiment", "graph");
        graph.setListeners(tracking);
        graph.fit(new ListDataSetIterator<>(data(32, 3).asList(), 8), 1);
        tracking.finish();

        Map<String, String> params = new LinkedHashMap<>();
        server.requests("/runs/log-batch")
                .forEach(r -> r.json()
                        .path("params")
                        .forEach(p ->
                                params.put(p.get("key").asText(), p.get("value").asText())));
        assertThat(params)
                .containsEntry("model_class", "ComputationGraph")
                .containsEntry("num_layers", "2")
                .containsEntry("updater", "Adam")
                .containsEntry("learning_rate", "0.005")
                .containsEntry("layer.hidden.type", "DenseLayer")
                .containsEntry("layer.hidden.n_out", "6")
                .containsEntry("layer.hidden.activation", "tanh")
                .containsEntry("layer.out.loss", "LossMCXENT");
        assertThat(only(server.requests("/" + SweeplabListener.SUMMARY)).text()).isEqualTo(graph.summary());
        assertThat(server.requests("/model/model.zip")).hasSize(1);
        assertThat(server.requests("/runs/update").get(0).json().get("status").asText())
                .isEqualTo("FINISHED");
    }

    @Test
    void training_goes_on_when_the_tracking_cannot() {
        MultiLayerNetwork net = network();
        var tracking = SweeplabListener.start(client, "team/experiment", "doomed");
        client.close(); // every log call now fails
        net.setListeners(tracking);

        net.fit(new ListDataSetIterator<>(data(32, 4).asList(), 16), 2);

        assertThat(net.getLayerWiseConfigurations().getEpochCount()).isEqualTo(2);
    }

    private static Request only(List<Request> requests) {
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private static Double[] box(double[] values) {
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
