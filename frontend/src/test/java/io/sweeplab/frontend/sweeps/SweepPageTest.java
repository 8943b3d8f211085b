package io.sweeplab.frontend.sweeps;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.Overfitting;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.frontend.sweeps.SweepPage.Metric;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The sweep page's comparison chart, computed without a browser or a database. */
public class SweepPageTest {

    /** A finished run of sweep 7 (other tests build their sweeps with it too). */
    public static Run run(long id, Map<String, Object> cell, double testAccuracy) {
        return run(id, cell, RunStatus.SUCCEEDED, testAccuracy, null);
    }

    static Run run(long id, Map<String, Object> cell, RunStatus status, Double testAccuracy, Overfitting fit) {
        return new Run(
                id,
                "team",
                1,
                7L,
                cell,
                null,
                status,
                null,
                null,
                null,
                null,
                1,
                0.5,
                testAccuracy,
                fit,
                null,
                null,
                null,
                1,
                false,
                null,
                null,
                null,
                null);
    }

    public static Sweep sweep(Map<String, List<Object>> grid, List<Run> runs) {
        return new Sweep(
                7,
                "team",
                1,
                "seeds",
                Map.of(),
                grid,
                null,
                "succeeded",
                Map.of(),
                runs.size(),
                null,
                null,
                runs,
                null);
    }

    static io.sweeplab.plugin.api.Objective sweepObjective() {
        return io.sweeplab.core.sweep.SweepAnalysis.DEFAULT_OBJECTIVE;
    }

    static Map<String, List<Object>> seriesData(SweepPage page) {
        return seriesData(page, Metric.TEST_ACCURACY);
    }

    @SuppressWarnings("unchecked")
    static Map<String, List<Object>> seriesData(SweepPage page, Metric metric) {
        Map<String, List<Object>> out = new java.util.LinkedHashMap<>();
        for (Map<String, Object> s :
                (List<Map<String, Object>>) page.comparison(metric).get("series")) {
            out.put((String) s.get("name"), (List<Object>) s.get("data"));
        }
        return out;
    }

    @Test
    void a_group_of_three_or_more_runs_shows_the_mean_of_all_of_them() {
        // one swept parameter and repeated cells: filters 16 three times (0.80, 0.90, 0.70: mean 0.80, where a
        // running mean of pairs gives 0.75), filters 32 four times (0.82 .. 0.88: mean 0.85)
        Map<String, List<Object>> grid = Map.of("params.filters", List.of(16, 32));
        Map<String, Object> f16 = Map.of("params.filters", 16);
        Map<String, Object> f32 = Map.of("params.filters", 32);
        List<Run> runs = List.of(
                run(1, f16, 0.80),
                run(2, f16, 0.90),
                run(3, f16, 0.70),
                run(4, f32, 0.82),
                run(5, f32, 0.84),
                run(6, f32, 0.86),
                run(7, f32, 0.88));
        SweepPage page = SweepPage.of(sweep(grid, runs), Map.of());

        assertThat(seriesData(page)).containsExactly(Map.entry("test accuracy", List.of(0.80, 0.85)));
        assertThat(page.comparisonPoints()).isEqualTo(7);
    }

    @Test
    void a_group_of_one_run_shows_its_accuracy() {
        Map<String, List<Object>> grid = new java.util.LinkedHashMap<>();
        grid.put("params.filters", List.of(16, 32));
        grid.put("seed", List.of(1, 2));
        List<Run> runs = List.of(
                run(1, Map.of("params.filters", 16, "seed", 1), 0.81),
                run(2, Map.of("params.filters", 32, "seed", 1), 0.83),
                run(3, Map.of("params.filters", 16, "seed", 2), 0.79));
        Map<String, List<Object>> series = seriesData(SweepPage.of(sweep(grid, runs), Map.of()));
        assertThat(series).containsEntry("seed=1", List.of(0.81, 0.83));
        assertThat(series.get("seed=2")).containsExactly(0.79, null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yAxis(SweepPage page, Metric metric) {
        return (Map<String, Object>) page.comparison(metric).get("yAxis");
    }

    /** Two finished runs (filters 16 overfits after epoch 3, filters 32 does not) and a running one, never plotted. */
    static SweepPage twoCells() {
        Map<String, List<Object>> grid = Map.of("params.filters", List.of(16, 32));
        List<Run> runs = List.of(
                run(
                        1,
                        Map.of("params.filters", 16),
                        RunStatus.SUCCEEDED,
                        0.80,
                        new Overfitting(OptionalInt.of(3), 3, 0.85, 0.05, 0.01)),
                run(
                        2,
                        Map.of("params.filters", 32),
                        RunStatus.STOPPED,
                        0.84,
                        new Overfitting(OptionalInt.empty(), 10, 0.88, -0.01, 0.0)),
                run(
                        3,
                        Map.of("params.filters", 16),
                        RunStatus.RUNNING,
                        null,
                        new Overfitting(OptionalInt.of(1), 1, 0.5, 0.3, 0.2)));
        return SweepPage.of(sweep(grid, runs), Map.of());
    }

    @Test
    void each_metric_is_plotted_by_the_swept_parameter_on_an_axis_named_and_scaled_for_it() {
        SweepPage page = twoCells();

        assertThat(seriesData(page, Metric.TEST_ACCURACY))
                .containsExactly(Map.entry("test accuracy", List.of(0.80, 0.84)));
        assertThat(yAxis(page, Metric.TEST_ACCURACY))
                .containsEntry("name", "test accuracy")
                .containsEntry("min", 0.75)
                .containsEntry("max", 1);

        assertThat(seriesData(page, Metric.BEST_VAL_ACCURACY))
                .containsExactly(Map.entry("best validation accuracy", List.of(0.85, 0.88)));
        assertThat(yAxis(page, Metric.BEST_VAL_ACCURACY))
                .containsEntry("name", "best validation accuracy")
                .containsEntry("min", 0.8)
                .containsEntry("max", 1);

        assertThat(seriesData(page, Metric.BEST_VAL_EPOCH))
                .containsExactly(Map.entry("best validation epoch", List.of(3.0, 10.0)));
        assertThat(yAxis(page, Metric.BEST_VAL_EPOCH))
                .containsEntry("name", "best validation epoch")
                .containsEntry("min", 0)
                .containsEntry("max", 11)
                .containsEntry("minInterval", 1);

        // the run that does not overfit has no onset: only the other is plotted
        assertThat(seriesData(page, Metric.OVERFIT_ONSET))
                .containsExactly(Map.entry("overfitting onset (epoch)", List.of(3.0)));
        assertThat(page.comparisonPoints(Metric.OVERFIT_ONSET)).isEqualTo(1);
        assertThat(yAxis(page, Metric.OVERFIT_ONSET))
                .containsEntry("name", "overfitting onset (epoch)")
                .containsEntry("min", 0)
                .containsEntry("max", 4);

        // gaps in points; a negative one takes the axis below 0
        assertThat(seriesData(page, Metric.FINAL_GAP))
                .containsExactly(Map.entry("final train-validation gap (points)", List.of(5.0, -1.0)));
        assertThat(yAxis(page, Metric.FINAL_GAP))
                .containsEntry("name", "final train-validation gap (points)")
                .containsEntry("min", -2.0)
                .containsEntry("max", 6.0);

        assertThat(seriesData(page, Metric.BEST_MINUS_LAST))
                .containsExactly(Map.entry("best minus last validation accuracy (points)", List.of(1.0, 0.0)));
        assertThat(yAxis(page, Metric.BEST_MINUS_LAST))
                .containsEntry("name", "best minus last validation accuracy (points)")
                .containsEntry("min", 0.0)
                .containsEntry("max", 2.0);

        for (Metric m : Metric.values()) {
            assertThat(page.comparisonPoints(m))
                    .as("the running run is never plotted (%s)", m)
                    .isEqualTo(m == Metric.OVERFIT_ONSET ? 1 : 2);
        }
        assertThat(page.comparison()).as("test accuracy by default").isEqualTo(page.comparison(Metric.TEST_ACCURACY));
    }

    @Test
    void a_metric_no_finished_run_has_says_so() {
        Map<String, List<Object>> grid = Map.of("params.filters", List.of(16));
        SweepPage page = SweepPage.of(
                sweep(
                        grid,
                        List.of(run(
                                1,
                                Map.of("params.filters", 16),
                                RunStatus.SUCCEEDED,
                                0.8,
                                new Overfitting(OptionalInt.empty(), 2, 0.8, 0.01, 0.0)))),
                Map.of());
        assertThat(page.comparison(Metric.OVERFIT_ONSET).get("title"))
                .isEqualTo(Map.of("text", "No finished run overfits", "left", "center"));
        assertThat(page.comparison(Metric.OVERFIT_ONSET).get("series")).isEqualTo(List.of());
        assertThat(page.comparisonPoints(Metric.OVERFIT_ONSET)).isZero();
    }

    @Test
    void a_row_shows_the_stored_values_and_computes_them_only_for_a_run_stored_without() {
        Overfitting stored = new Overfitting(OptionalInt.of(2), 2, 0.9, 0.04, 0.02);
        List<EpochMetric> epochs = List.of(
                new EpochMetric(1, 0.5, 0.80, 0.5, 0.84, 1, 100),
                new EpochMetric(2, 0.4, 0.90, 0.4, 0.87, 1, 100),
                new EpochMetric(3, 0.3, 0.95, 0.4, 0.86, 1, 100));
        Map<String, List<Object>> grid = Map.of("seed", List.of(1, 2, 3));
        SweepPage page = SweepPage.of(
                sweep(
                        grid,
                        List.of(
                                run(1, Map.of("seed", 1), RunStatus.SUCCEEDED, 0.9, stored),
                                run(2, Map.of("seed", 2), RunStatus.SUCCEEDED, 0.9, null),
                                run(3, Map.of("seed", 3), RunStatus.QUEUED, null, null))),
                Map.of(1L, epochs, 2L, epochs));
        assertThat(page.row(1).fit()).isEqualTo(stored);
        assertThat(page.row(2).fit()).isEqualTo(Overfitting.of(epochs));
        assertThat(page.row(2).onset()).isEqualTo(2);
        assertThat(page.row(2).bestEpoch()).isEqualTo(2);
        assertThat(page.row(3).fit()).isNull();
        assertThat(page.row(3).onset()).isNull();
        assertThat(page.row(3).finalGap()).isNull();
        assertThat(page.row(3).bestVal()).isNull();
    }
}
