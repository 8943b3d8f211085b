package io.sweeplab.plugins.visualizers;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.plugin.testkit.FakeVisualizerContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MisclassifiedVisualizerTest {

    final MisclassifiedVisualizer visualizer = new MisclassifiedVisualizer();

    @Test
    void lists_the_first_wrong_images_in_test_order_with_their_pixels() throws Exception {
        Fixtures.TestSet set = Fixtures.random(400, 11);
        List<Integer> wrong = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            if (set.labels()[i] != set.predicted()[i]) {
                wrong.add(i);
            }
        }
        assertThat(wrong).hasSizeGreaterThan(16);

        Artifact.Tensors a = (Artifact.Tensors)
                Fixtures.run(visualizer, Map.of(), set.context().build());

        assertThat(a.name()).isEqualTo("misclassified");
        Tensor t = a.tensors().get(0);
        assertThat(t.shape()).containsExactly(16, 4, 3);
        assertThat(t.axes()).extracting(Tensor.Axis::name).containsExactly("image", "y", "x");
        List<String> expected = new ArrayList<>();
        for (int k = 0; k < 16; k++) {
            int i = wrong.get(k);
            expected.add("#" + i + " true " + Fixtures.CLASSES.get(set.labels()[i]) + ", predicted "
                    + Fixtures.CLASSES.get(set.predicted()[i]) + " (83%)");
            assertThat(Arrays.copyOfRange(t.data(), k * 12, k * 12 + 12))
                    .containsExactly(Arrays.copyOfRange(set.pixels(), i * 12, i * 12 + 12));
        }
        assertThat(t.axes().get(0).labels()).isEqualTo(expected);
        assertThat(a.attributes())
                .containsEntry("testImages", "400")
                .containsEntry("wrong", Integer.toString(wrong.size()))
                .containsEntry("shown", "16");
    }

    @Test
    void shows_at_most_count_and_fewer_when_fewer_are_wrong() throws Exception {
        FakeVisualizerContext ctx = FakeVisualizerContext.builder(Fixtures.CLASSES, 0, 1, 2, 3)
                .predictions(new int[] {0, 6, 2, 0}, 0.5f)
                .images(1, 1, new float[] {0.1f, 0.2f, 0.3f, 0.4f})
                .build();

        Tensor one = ((Artifact.Tensors) Fixtures.run(visualizer, Map.of("count", 1), ctx))
                .tensors()
                .get(0);
        assertThat(one.axes().get(0).labels()).containsExactly("#1 true Trouser, predicted Shirt (50%)");
        assertThat(one.data()).containsExactly(0.2f);

        Tensor all = ((Artifact.Tensors) Fixtures.run(visualizer, Map.of("count", 100), ctx))
                .tensors()
                .get(0);
        assertThat(all.axes().get(0).labels())
                .containsExactly(
                        "#1 true Trouser, predicted Shirt (50%)", "#3 true Dress, predicted T-shirt/top (50%)");
        assertThat(all.data()).containsExactly(0.2f, 0.4f);
    }

    @Test
    void a_network_right_on_every_test_image_gets_no_images() throws Exception {
        FakeVisualizerContext ctx = FakeVisualizerContext.builder(Fixtures.CLASSES, 4, 5)
                .predictions(new int[] {4, 5}, 0.9f)
                .images(28, 28, new float[2 * 784])
                .build();

        Artifact.Tensors a = (Artifact.Tensors) Fixtures.run(visualizer, Map.of(), ctx);

        assertThat(a.tensors().get(0).shape()).containsExactly(0, 28, 28);
        assertThat(a.attributes()).containsEntry("wrong", "0").containsEntry("accuracy", "1.0000");
    }

    @Test
    void count_is_bounded() {
        assertThat(visualizer.params().validate(Map.of("count", 0)).valid()).isFalse();
        assertThat(visualizer.params().validate(Map.of("count", 101)).valid()).isFalse();
        assertThat(visualizer.params().validate(Map.of()).params().getInt("count"))
                .isEqualTo(16);
    }
}
