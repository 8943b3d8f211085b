package io.sweeplab.plugins.visualizers;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.plugin.testkit.FakeVisualizerContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiltersVisualizerTest {

    final FiltersVisualizer visualizer = new FiltersVisualizer();

    static float[] ramp(int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = i / 10f - 1;
        }
        return w;
    }

    @Test
    void the_first_convolutions_kernels_of_a_greyscale_input_are_filter_by_y_by_x() throws Exception {
        float[] first = ramp(32 * 9);
        FakeVisualizerContext ctx = FakeVisualizerContext.builder(Fixtures.CLASSES, 0)
                .layerWeights(
                        FakeVisualizerContext.convolution(0, "conv2d_1", 32, 1, 3, 3, first),
                        FakeVisualizerContext.none(1, "max_pooling2d_1", "MaxPooling2D"),
                        FakeVisualizerContext.convolution(2, "conv2d_2", 64, 32, 3, 3, new float[64 * 32 * 9]),
                        FakeVisualizerContext.dense(3, "dense", 1600, 10, new float[16_000]))
                .build();

        Artifact.Tensors a = (Artifact.Tensors) Fixtures.run(visualizer, Map.of(), ctx);

        assertThat(a.name()).isEqualTo("filters");
        Tensor t = a.tensors().get(0);
        assertThat(a.tensors()).hasSize(1);
        assertThat(t.name()).isEqualTo("conv2d_1");
        assertThat(t.shape()).containsExactly(32, 3, 3);
        assertThat(t.data()).containsExactly(first);
        assertThat(t.axes()).extracting(Tensor.Axis::name).containsExactly("filter", "y", "x");
        assertThat(t.axes().get(0).labels()).startsWith("filter 0", "filter 1").endsWith("filter 31");
        assertThat(a.attributes())
                .containsEntry("layer", "conv2d_1")
                .containsEntry("filters", "32")
                .containsEntry("kernel", "3x3");
    }

    @Test
    void kernels_over_several_input_channels_keep_the_channel_axis() throws Exception {
        float[] w = ramp(8 * 3 * 5 * 5);
        FakeVisualizerContext ctx = FakeVisualizerContext.builder(Fixtures.CLASSES, 0)
                .layerWeights(
                        FakeVisualizerContext.dense(0, "dense_in", 4, 4, new float[16]),
                        FakeVisualizerContext.convolution(1, "conv", 8, 3, 5, 5, w))
                .build();

        Tensor t = ((Artifact.Tensors) Fixtures.run(visualizer, Map.of(), ctx))
                .tensors()
                .get(0);

        assertThat(t.name()).isEqualTo("conv");
        assertThat(t.shape()).containsExactly(8, 3, 5, 5);
        assertThat(t.data()).containsExactly(w);
        assertThat(t.axes()).extracting(Tensor.Axis::name).containsExactly("filter", "channel", "y", "x");
    }

    @Test
    void a_network_without_convolutions_gets_a_note_and_no_kernels() throws Exception {
        FakeVisualizerContext ctx = FakeVisualizerContext.builder(Fixtures.CLASSES, 0)
                .layerWeights(
                        FakeVisualizerContext.dense(0, "dense", 784, 128, new float[784 * 128]),
                        FakeVisualizerContext.dense(1, "dense_out", 128, 10, new float[1280]))
                .build();

        Artifact.Tensors a = (Artifact.Tensors) Fixtures.run(visualizer, Map.of(), ctx);

        assertThat(a.name()).isEqualTo("filters");
        assertThat(a.tensors()).isEmpty();
        assertThat(a.attributes()).containsEntry("note", "this network has no convolution layer");
    }
}
