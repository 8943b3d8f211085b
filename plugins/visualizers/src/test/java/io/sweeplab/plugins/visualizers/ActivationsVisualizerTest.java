package io.sweeplab.plugins.visualizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.LayerOutput;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.plugin.testkit.FakeVisualizerContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActivationsVisualizerTest {

    final List<int[]> asked = new ArrayList<>();

    /** A fake trained CNN on 100 ankle boots: conv 4x6x6, pool 4x3x3, then flat layers. */
    FakeVisualizerContext context() {
        int[] labels = new int[100];
        Arrays.fill(labels, 9);
        return FakeVisualizerContext.builder(Fixtures.CLASSES, labels)
                .layerOutputs(idx -> {
                    asked.add(idx);
                    int n = idx.length;
                    return List.of(
                            new LayerOutput(
                                    0,
                                    "conv2d_1",
                                    "Conv2D",
                                    new Tensor("c", new int[] {n, 4, 6, 6}, new float[n * 144])),
                            new LayerOutput(
                                    1,
                                    "max_pooling2d_1",
                                    "MaxPooling2D",
                                    new Tensor("p", new int[] {n, 4, 3, 3}, new float[n * 36])),
                            new LayerOutput(2, "dense", "Dense", new Tensor("d", new int[] {n, 8}, new float[n * 8])),
                            new LayerOutput(
                                    3, "dense_out", "Dense", new Tensor("o", new int[] {n, 10}, new float[n * 10])));
                })
                .build();
    }

    @Test
    void keeps_the_spatial_layers_for_the_lab_images() throws Exception {
        Artifact.Tensors a = (Artifact.Tensors) Fixtures.run(new ActivationsVisualizer(), Map.of(), context());

        assertThat(asked).singleElement().satisfies(idx -> assertThat(idx).containsExactly(0, 23, 28));
        assertThat(a.tensors()).extracting(Tensor::name).containsExactly("conv2d_1", "max_pooling2d_1");
        assertThat(a.tensors().get(0).shape()).containsExactly(3, 4, 6, 6);
        assertThat(a.attributes())
                .containsEntry("images", "0,23,28")
                .containsEntry("labels", "9,9,9")
                .containsEntry("classes", "Ankle boot,Ankle boot,Ankle boot");
    }

    @Test
    void its_maps_have_the_axes_image_labelled_by_test_index_channel_y_x() throws Exception {
        Artifact.Tensors a = (Artifact.Tensors) Fixtures.run(new ActivationsVisualizer(), Map.of(), context());

        assertThat(a.tensors()).allSatisfy(t -> {
            assertThat(t.axes()).extracting(Tensor.Axis::name).containsExactly("image", "channel", "y", "x");
            assertThat(t.axes().get(0).labels()).containsExactly("0", "23", "28");
            assertThat(t.axes().get(1).labels()).isEmpty();
        });
    }

    @Test
    void refuses_an_index_outside_the_test_set() {
        assertThatThrownBy(
                        () -> Fixtures.run(new ActivationsVisualizer(), Map.of("images", List.of(5, 100)), context()))
                .hasMessage("image index 100 is outside the test set of 100 images");
    }

    @Test
    void shows_the_first_four_spatial_layers_as_the_lab_does_or_as_many_as_asked() throws Exception {
        int[] labels = new int[30];
        FakeVisualizerContext six = FakeVisualizerContext.builder(Fixtures.CLASSES, labels)
                .layerOutputs(idx -> {
                    List<LayerOutput> out = new ArrayList<>();
                    for (int l = 0; l < 6; l++) {
                        out.add(new LayerOutput(
                                l,
                                "layer_" + l,
                                l % 2 == 0 ? "Conv2D" : "MaxPooling2D",
                                new Tensor("t", new int[] {idx.length, 2, 2, 2}, new float[idx.length * 8])));
                    }
                    return out;
                })
                .build();
        Artifact.Tensors lab = (Artifact.Tensors) Fixtures.run(new ActivationsVisualizer(), Map.of(), six);
        assertThat(lab.tensors()).extracting(Tensor::name).containsExactly("layer_0", "layer_1", "layer_2", "layer_3");
        Artifact.Tensors all = (Artifact.Tensors) Fixtures.run(new ActivationsVisualizer(), Map.of("layers", 6), six);
        assertThat(all.tensors()).hasSize(6);
    }
}
