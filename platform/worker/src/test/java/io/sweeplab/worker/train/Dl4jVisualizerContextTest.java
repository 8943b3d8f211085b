package io.sweeplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sweeplab.plugin.api.ImageSet;
import io.sweeplab.plugin.api.LayerOutput;
import io.sweeplab.plugin.api.LayerWeights;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.plugins.architectures.CnnArchitecture;
import io.sweeplab.worker.data.TestData;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The worker's visualizer context on the lab's CNN, briefly trained, on both engines: the probabilities of the whole
 * test subset in one call agree with the engine's evaluation, and the weights have the shapes and axes the API states.
 */
class Dl4jVisualizerContextTest {

    /** 2,500 test images: three prediction batches, the last one partial. */
    static final int TEST = 2500;

    static Engine trained(String choice) {
        Engine engine = CheckpointArchiveTest.engines(choice)
                .create(
                        CheckpointArchiveTest.conf(new CnnArchitecture(), Map.of("filters", List.of(16, 32))),
                        CheckpointArchiveTest.INPUT,
                        32);
        ImageSet train = TestData.full().train().first(640);
        int ppi = train.pixelsPerImage();
        for (int start = 0; start < train.size(); start += 32) {
            engine.fit(
                    Arrays.copyOfRange(train.pixels(), start * ppi, (start + 32) * ppi),
                    Arrays.copyOfRange(train.labels(), start, start + 32),
                    32);
        }
        return engine;
    }

    static int[] all(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "dl4j"})
    void probabilities_of_the_whole_test_subset_agree_with_the_engines_accuracy(String choice) {
        ImageSet test = TestData.full().test().first(TEST);
        try (Engine engine = trained(choice)) {
            Dl4jVisualizerContext ctx =
                    new Dl4jVisualizerContext(engine, test, TestData.full().classNames());
            float[][] p = ctx.classProbabilities(all(TEST));
            int[] predicted = ctx.predictions(all(TEST));

            assertThat(p).hasNumberOfRows(TEST);
            int correct = 0;
            for (int i = 0; i < TEST; i++) {
                assertThat(p[i]).hasSize(10);
                double sum = 0;
                int argmax = 0;
                for (int c = 0; c < 10; c++) {
                    sum += p[i][c];
                    argmax = p[i][c] > p[i][argmax] ? c : argmax;
                }
                assertThat(sum).isCloseTo(1, within(1e-4));
                assertThat(predicted[i]).isEqualTo(argmax);
                correct += predicted[i] == test.labels()[i] ? 1 : 0;
            }
            assertThat((double) correct / TEST).isEqualTo(engine.evaluate(test)[1]);
            assertThat(correct).isGreaterThan(TEST / 2); // trained a little, so not one class for all

            float[][] some = ctx.classProbabilities(2499, 7, 1000);
            assertThat(some[0]).containsExactly(p[2499], within(1e-5f));
            assertThat(some[1]).containsExactly(p[7], within(1e-5f));
            assertThat(some[2]).containsExactly(p[1000], within(1e-5f));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "dl4j"})
    void layer_weights_test_images_and_outputs_have_named_axes(String choice) {
        ImageSet test = TestData.full().test().first(100);
        try (Engine engine = trained(choice)) {
            Dl4jVisualizerContext ctx =
                    new Dl4jVisualizerContext(engine, test, TestData.full().classNames());

            List<LayerWeights> weights = ctx.layerWeights();
            assertThat(weights)
                    .extracting(LayerWeights::name)
                    .containsExactly(
                            "conv2d_1", "max_pooling2d_1", "conv2d_2", "max_pooling2d_2", "dense", "dense_out");
            Tensor conv = weights.get(0).weights().orElseThrow();
            assertThat(conv.shape()).containsExactly(16, 1, 3, 3);
            assertThat(conv.axes()).extracting(Tensor.Axis::name).containsExactly("filter", "channel", "y", "x");
            assertThat(conv.data())
                    .containsExactly(engine.network()
                            .getLayer(0)
                            .getParam("W")
                            .dup('c')
                            .data()
                            .asFloat());
            assertThat(weights.get(0).params().get("b").shape()).containsExactly(16);
            assertThat(weights.get(2).weights().orElseThrow().shape()).containsExactly(32, 16, 3, 3);
            assertThat(weights.get(1).params()).isEmpty();
            Tensor dense = weights.get(4).weights().orElseThrow();
            assertThat(dense.shape()).containsExactly(800, 128);
            assertThat(dense.axes()).extracting(Tensor.Axis::name).containsExactly("input", "unit");
            assertThat(weights.get(5).params().get("b").axes())
                    .extracting(Tensor.Axis::name)
                    .containsExactly("unit");

            Tensor images = ctx.testImages(0, 23, 28);
            assertThat(images.shape()).containsExactly(3, 28, 28);
            assertThat(images.axes()).extracting(Tensor.Axis::name).containsExactly("image", "y", "x");
            assertThat(images.axes().get(0).labels()).containsExactly("0", "23", "28");
            assertThat(Arrays.copyOfRange(images.data(), 784, 2 * 784))
                    .containsExactly(Arrays.copyOfRange(test.pixels(), 23 * 784, 24 * 784));
            assertThat(ctx.testImages().shape()).containsExactly(0, 28, 28);

            List<LayerOutput> outputs = ctx.layerOutputs(0, 23, 28);
            assertThat(outputs.get(0).output().axes())
                    .extracting(Tensor.Axis::name)
                    .containsExactly("image", "channel", "y", "x");
            assertThat(outputs.get(0).output().axes().get(0).labels()).containsExactly("0", "23", "28");
            assertThat(outputs.get(5).output().axes())
                    .extracting(Tensor.Axis::name)
                    .containsExactly("image", "unit");

            assertThatThrownBy(() -> ctx.classProbabilities(3, 100))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("test image 100 is outside the test set of 100");
        }
    }
}
