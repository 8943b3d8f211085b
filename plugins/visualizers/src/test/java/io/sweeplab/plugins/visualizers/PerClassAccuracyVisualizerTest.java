package io.sweeplab.plugins.visualizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.testkit.FakeVisualizerContext;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PerClassAccuracyVisualizerTest {

    final PerClassAccuracyVisualizer visualizer = new PerClassAccuracyVisualizer();

    @Test
    void one_row_per_class_whose_totals_are_the_test_set() throws Exception {
        Fixtures.TestSet set = Fixtures.random(2000, 5);
        Artifact.Table t = (Artifact.Table)
                Fixtures.run(visualizer, Map.of(), set.context().build());

        assertThat(t.name()).isEqualTo("per-class-accuracy");
        assertThat(t.columns()).containsExactly("class", "test images", "correct", "accuracy");
        assertThat(t.rows()).extracting(r -> r.get(0)).containsExactlyElementsOf(Fixtures.CLASSES);
        int images = 0;
        int correct = 0;
        for (int c = 0; c < 10; c++) {
            List<Object> row = t.rows().get(c);
            final int cls = c;
            int expectedImages =
                    (int) Arrays.stream(set.labels()).filter(l -> l == cls).count();
            assertThat(row.get(1)).isEqualTo(expectedImages);
            assertThat((double) row.get(3)).isCloseTo((int) row.get(2) / (double) expectedImages, within(1e-12));
            images += (int) row.get(1);
            correct += (int) row.get(2);
        }
        assertThat(images).isEqualTo(2000);
        assertThat(correct).isEqualTo(set.correct());
        assertThat(t.barColumn()).isEqualTo("accuracy");
        assertThat(t.attributes())
                .containsEntry("testImages", "2000")
                .containsEntry("correct", Integer.toString(set.correct()));
    }

    @Test
    void a_class_without_test_images_has_no_accuracy() throws Exception {
        Artifact.Table t = (Artifact.Table) Fixtures.run(
                visualizer,
                Map.of(),
                FakeVisualizerContext.builder(List.of("a", "b", "c"), 0, 0, 0, 2)
                        .predictions(new int[] {0, 1, 0, 0}, 0.9f)
                        .build());

        assertThat(t.rows())
                .containsExactly(
                        Arrays.asList("a", 3, 2, 2 / 3.0),
                        Arrays.asList("b", 0, 0, null),
                        Arrays.asList("c", 1, 0, 0.0));
    }
}
