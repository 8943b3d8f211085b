package io.sweeplab.plugins.visualizers;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.LayerOutput;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.plugin.testkit.FakeVisualizerContext;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** What holds for every visualizer this module registers. */
class BuiltInVisualizersTest {

    static List<Visualizer> registered() {
        return ServiceLoader.load(Visualizer.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
    }

    @Test
    void the_five_are_registered_with_a_label_a_description_and_valid_defaults() {
        assertThat(registered())
                .extracting(Visualizer::id)
                .containsExactly("activations", "confusion-matrix", "misclassified", "filters", "per-class-accuracy");
        assertThat(registered()).allSatisfy(v -> {
            assertThat(v.label()).isNotBlank();
            assertThat(v.description()).isNotBlank();
            assertThat(v.params().validate(Map.of()).valid()).isTrue();
        });
    }

    @Test
    void each_runs_on_a_dense_network_and_a_test_set_of_one_image_keeping_its_artifact_name() throws Exception {
        // a dense net seen by the context: flat layer outputs, dense weights only
        int[] labels = new int[29];
        FakeVisualizerContext ctx = FakeVisualizerContext.builder(Fixtures.CLASSES, labels)
                .predictions(new int[29], 0.6f)
                .images(28, 28, new float[29 * 784])
                .layerWeights(
                        FakeVisualizerContext.dense(0, "dense", 784, 128, new float[784 * 128]),
                        FakeVisualizerContext.dense(1, "dense_out", 128, 10, new float[1280]))
                .layerOutputs(idx -> List.of(new LayerOutput(
                        0,
                        "dense",
                        "Dense",
                        new Tensor("d", new int[] {idx.length, 128}, new float[idx.length * 128]))))
                .build();
        FakeVisualizerContext one = FakeVisualizerContext.builder(Fixtures.CLASSES, 3)
                .predictions(new int[] {4}, 0.6f)
                .images(28, 28, new float[784])
                .layerWeights(FakeVisualizerContext.convolution(0, "conv2d_1", 2, 1, 3, 3, new float[18]))
                .layerOutputs(idx -> List.of(new LayerOutput(
                        0, "conv2d_1", "Conv2D", new Tensor("c", new int[] {1, 2, 26, 26}, new float[2 * 676]))))
                .build();

        for (Visualizer v : registered()) {
            Map<String, ?> params = v.id().equals("activations") ? Map.of("images", List.of(0)) : Map.of();
            Artifact dense = Fixtures.run(v, params, ctx);
            Artifact single = Fixtures.run(v, params, one);
            assertThat(dense.name()).isEqualTo(v.id());
            assertThat(single.name()).isEqualTo(v.id());
            assertThat(single.getClass()).isEqualTo(dense.getClass());
        }
    }
}
