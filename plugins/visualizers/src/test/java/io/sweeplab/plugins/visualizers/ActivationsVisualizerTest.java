package io.sweeplab.plugins.visualizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.LayerOutput;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.plugin.api.VisualizerContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActivationsVisualizerTest {

    /** A fake trained CNN: conv 4x6x6, pool 4x3x3, then flat layers. Values encode (image, layer). */
    static final class FakeContext implements VisualizerContext {
        int[] asked;

        @Override
        public int testSetSize() {
            return 100;
        }

        @Override
        public List<String> classNames() {
            return List.of(
                    "T-shirt",
                    "Trouser",
                    "Pullover",
                    "Dress",
                    "Coat",
                    "Sandal",
                    "Shirt",
                    "Sneaker",
                    "Bag",
                    "Ankle boot");
        }

        @Override
        public int[] testLabels(int... idx) {
            int[] l = new int[idx.length];
            java.util.Arrays.fill(l, 9);
            return l;
        }

        @Override
        public List<LayerOutput> layerOutputs(int... idx) {
            asked = idx;
            int n = idx.length;
            return List.of(
                    new LayerOutput(
                            0, "conv2d_1", "Conv2D", new Tensor("c", new int[] {n, 4, 6, 6}, new float[n * 144])),
                    new LayerOutput(
                            1,
                            "max_pooling2d_1",
                            "MaxPooling2D",
                            new Tensor("p", new int[] {n, 4, 3, 3}, new float[n * 36])),
                    new LayerOutput(2, "dense", "Dense", new Tensor("d", new int[] {n, 8}, new float[n * 8])),
                    new LayerOutput(3, "dense_out", "Dense", new Tensor("o", new int[] {n, 10}, new float[n * 10])));
        }
    }

    @Test
    void keeps_the_spatial_layers_for_the_lab_images() {
        ActivationsVisualizer v = new ActivationsVisualizer();
        FakeContext ctx = new FakeContext();
        Artifact.Tensors a =
                (Artifact.Tensors) v.visualize(v.params().validate(Map.of()).params(), ctx);

        assertThat(ctx.asked).containsExactly(0, 23, 28);
        assertThat(a.tensors()).extracting(Tensor::name).containsExactly("conv2d_1", "max_pooling2d_1");
        assertThat(a.tensors().get(0).shape()).containsExactly(3, 4, 6, 6);
        assertThat(a.attributes())
                .containsEntry("images", "0,23,28")
                .containsEntry("classes", "Ankle boot,Ankle boot,Ankle boot");
    }

    @Test
    void refuses_an_index_outside_the_test_set() {
        ActivationsVisualizer v = new ActivationsVisualizer();
        assertThatThrownBy(() -> v.visualize(
                        v.params().validate(Map.of("images", List.of(5, 100))).params(), new FakeContext()))
                .hasMessage("image index 100 is outside the test set of 100 images");
    }
}
