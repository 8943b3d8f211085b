package io.sweeplab.frontend.sweeps;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.core.sweep.Sweep;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sweep page's comparison chart, computed without a browser or a database. */
class SweepPageTest {

    static Run run(long id, Map<String, Object> cell, double testAccuracy) {
        return new Run(
                id,
                "team",
                1,
                7L,
                cell,
                null,
                RunStatus.SUCCEEDED,
                null,
                null,
                null,
                null,
                1,
                0.5,
                testAccuracy,
                null,
                null,
                null,
                null,
                1,
                false,
                null,
                null,
                null);
    }

    static Sweep sweep(Map<String, List<Object>> grid, List<Run> runs) {
        return new Sweep(
                7, "team", 1, "seeds", Map.of(), grid, null, "succeeded", Map.of(), runs.size(), null, null, runs);
    }

    @SuppressWarnings("unchecked")
    static Map<String, List<Object>> seriesData(SweepPage page) {
        Map<String, List<Object>> out = new java.util.LinkedHashMap<>();
        for (Map<String, Object> s :
                (List<Map<String, Object>>) page.comparison().get("series")) {
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
}
