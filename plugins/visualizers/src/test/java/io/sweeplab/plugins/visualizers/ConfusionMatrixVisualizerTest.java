package io.sweeplab.plugins.visualizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.plugin.testkit.FakeVisualizerContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfusionMatrixVisualizerTest {

    final ConfusionMatrixVisualizer visualizer = new ConfusionMatrixVisualizer();

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 300, 10_000})
    void its_diagonal_is_the_accuracy_times_the_test_images_and_its_total_the_test_images(int n) throws Exception {
        Fixtures.TestSet set = Fixtures.random(n, n);
        Artifact.Tensors a = (Artifact.Tensors)
                Fixtures.run(visualizer, Map.of(), set.context().build());

        assertThat(a.name()).isEqualTo("confusion-matrix");
        assertThat(a.tensors()).extracting(Tensor::name).containsExactly("counts", "row-normalised");
        Tensor counts = a.tensors().get(0);
        assertThat(counts.shape()).containsExactly(10, 10);
        assertThat(counts.axes()).extracting(Tensor.Axis::name).containsExactly("true", "predicted");
        assertThat(counts.axes()).allSatisfy(axis -> assertThat(axis.labels()).isEqualTo(Fixtures.CLASSES));

        double diagonal = 0;
        double total = 0;
        for (int t = 0; t < 10; t++) {
            diagonal += counts.data()[t * 10 + t];
            for (int p = 0; p < 10; p++) {
                total += counts.data()[t * 10 + p];
            }
        }
        double accuracy = Double.parseDouble(a.attributes().get("accuracy"));
        assertThat(diagonal).isEqualTo(set.correct());
        assertThat(diagonal).isCloseTo(accuracy * n, within(0.00005 * n));
        assertThat(total).isEqualTo(n);
        assertThat(a.attributes())
                .containsEntry("testImages", Integer.toString(n))
                .containsEntry("correct", Integer.toString(set.correct()));
    }

    @Test
    void each_row_normalised_row_sums_to_one_and_an_empty_row_to_zero() throws Exception {
        // no image of class 9 (Ankle boot) in this test set
        Fixtures.TestSet set = Fixtures.random(500, 3);
        int[] labels = set.labels().clone();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = labels[i] == 9 ? 0 : labels[i];
        }
        Artifact.Tensors a = (Artifact.Tensors) Fixtures.run(
                visualizer,
                Map.of(),
                FakeVisualizerContext.builder(Fixtures.CLASSES, labels)
                        .predictions(set.predicted(), 0.5f)
                        .build());

        Tensor counts = a.tensors().get(0);
        Tensor normalised = a.tensors().get(1);
        assertThat(normalised.axes()).isEqualTo(counts.axes());
        for (int t = 0; t < 10; t++) {
            double sum = 0;
            double rowCount = 0;
            for (int p = 0; p < 10; p++) {
                sum += normalised.data()[t * 10 + p];
                rowCount += counts.data()[t * 10 + p];
            }
            for (int p = 0; p < 10; p++) {
                assertThat(normalised.data()[t * 10 + p])
                        .isCloseTo((float) (t == 9 ? 0 : counts.data()[t * 10 + p] / rowCount), within(1e-6f));
            }
            assertThat(sum).isCloseTo(t == 9 ? 0 : 1, within(1e-5));
        }
    }

    @Test
    void a_cell_counts_the_images_of_its_true_class_given_its_prediction() throws Exception {
        Artifact.Tensors a = (Artifact.Tensors) Fixtures.run(
                visualizer,
                Map.of(),
                FakeVisualizerContext.builder(List.of("a", "b", "c"), 0, 0, 1, 2, 2, 2)
                        .predictions(new int[] {0, 1, 1, 2, 0, 0}, 0.9f)
                        .build());

        assertThat(a.tensors().get(0).data()).containsExactly(1, 1, 0, 0, 1, 0, 2, 0, 1);
        assertThat(a.tensors().get(1).data())
                .containsExactly(new float[] {0.5f, 0.5f, 0, 0, 1, 0, 2 / 3f, 0, 1 / 3f}, within(1e-6f));
        assertThat(a.attributes())
                .containsExactly(
                        Map.entry("testImages", "6"), Map.entry("correct", "3"), Map.entry("accuracy", "0.5000"));
    }
}
