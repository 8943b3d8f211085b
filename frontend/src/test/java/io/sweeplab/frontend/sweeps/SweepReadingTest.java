package io.sweeplab.frontend.sweeps;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.core.sweep.ParameterImportance;
import io.sweeplab.core.sweep.Search;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.plugin.api.Objective;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sweep page's reading of a sweep against an objective: its charts' options, without a browser. */
class SweepReadingTest {

    /** A 3 x 3 grid of filters (lists) by learning rate; the learning rate decides the accuracy; run 6 fails. */
    static SweepPage grid() {
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        List<Object> filters = List.of(List.of(16), List.of(32), List.of(64));
        List<Object> rates = List.of(0.001, 0.01, 0.1);
        grid.put("params.filters", filters);
        grid.put("learningRate", rates);
        List<Run> runs = new ArrayList<>();
        Map<Long, List<EpochMetric>> metrics = new LinkedHashMap<>();
        long id = 1;
        for (Object f : filters) {
            for (Object lr : rates) {
                double acc = 0.7 + rates.indexOf(lr) * 0.1 + filters.indexOf(f) * 0.001;
                RunStatus status = id == 6 ? RunStatus.FAILED : RunStatus.SUCCEEDED;
                runs.add(SweepPageTest.run(
                        id, Map.of("params.filters", f, "learningRate", lr), status, id == 6 ? null : acc, null));
                metrics.put(
                        id,
                        List.of(
                                new EpochMetric(1, 1, 0.5, 0.9, acc - 0.05, 1, 1),
                                new EpochMetric(2, 1, 0.6, 0.8, acc - 0.02, 1, 1)));
                id++;
            }
        }
        return SweepPage.of(SweepPageTest.sweep(grid, runs), metrics);
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object map, String... keys) {
        Object o = map;
        for (String k : keys) {
            o = k.matches("\\d+") ? ((List<Object>) o).get(Integer.parseInt(k)) : ((Map<String, Object>) o).get(k);
        }
        return (T) o;
    }

    @Test
    void the_parallel_chart_has_an_axis_per_swept_parameter_and_the_objective_and_draws_the_best_run_apart() {
        SweepPage page = grid();
        assertThat(page.objective()).isEqualTo(new Objective("testAccuracy", Objective.Goal.MAX));
        SweepReading reading = page.reading(page.objective());
        Map<String, Object> option = reading.parallel();

        List<Map<String, Object>> axes = at(option, "parallelAxis");
        assertThat(axes)
                .extracting(a -> a.get("name"))
                .containsExactly("params.filters", "learningRate", "testAccuracy (max)");
        assertThat(axes.get(0))
                .containsEntry("type", "category")
                .containsEntry("data", List.of("[16]", "[32]", "[64]"));
        // rates 0.001 to 0.1: two orders of magnitude, a log axis
        assertThat(axes.get(1)).containsEntry("type", "log");
        // eight runs with a value (run 6 failed) in one series, the best (run 9: filters 64, rate 0.1) last, in red
        List<Map<String, Object>> lines = at(option, "series", "0", "data");
        assertThat((List<?>) at(option, "series")).hasSize(1);
        assertThat(lines).extracting(d -> d.get("name")).containsExactly("1", "2", "3", "4", "5", "7", "8", "9");
        assertThat(lines.get(7))
                .containsEntry("value", List.of("[64]", 0.1, 0.902))
                .containsEntry("lineStyle", Map.of("width", 4, "opacity", 1, "color", SweepReading.BEST));
        assertThat(lines.get(0)).doesNotContainKey("lineStyle");
        assertThat(reading.parallelPoints()).isEqualTo(8);
        assertThat(page.canRerun()).isTrue();
        assertThat(page.canExtend()).isFalse(); // a grid
        assertThat(page.row(9).lastVal()).isCloseTo(0.882, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(page.export("csv")).isEqualTo("api/sweeps/7/runs.csv");
    }

    @Test
    void a_brush_names_runs_by_id_and_anything_else_it_names_is_ignored() {
        SweepReading reading = grid().reading(SweepPageTest.sweepObjective());
        assertThat(reading.runsNamed(List.of("3", "9", "x", "999", " 1"))).containsExactly(1L, 3L, 9L);
    }

    @Test
    void importance_names_its_method_and_finds_the_learning_rate() {
        SweepPage page = grid();
        SweepReading reading = page.reading(page.objective());
        Map<String, Object> option = reading.importance();
        assertThat(reading.importanceMethod()).isEqualTo("Method: " + ParameterImportance.METHOD);
        // the largest bar last: the category axis runs upwards
        assertThat(at(option, "yAxis", "data").toString()).isEqualTo("[params.filters, learningRate]");
        List<Double> bars = at(option, "series", "0", "data");
        assertThat(bars.get(1)).isGreaterThan(0.8);
        assertThat(reading.importancePoints()).isEqualTo(2);
    }

    @Test
    void too_few_runs_say_so_in_the_importance_chart() {
        SweepPage page = SweepPageTest.twoCells();
        SweepReading reading = page.reading(page.objective());
        assertThat(at(reading.importance(), "title", "text").toString())
                .isEqualTo("No importance: needs at least 8 runs with a value (2 so far)");
        assertThat(reading.importancePoints()).isZero();
    }

    @Test
    void the_scatter_puts_a_categorical_on_its_categories_and_highlights_the_best_run() {
        SweepPage page = grid();
        Objective loss = new Objective("valLoss", Objective.Goal.MIN);
        Map<String, Object> option = page.reading(loss).scatter("params.filters");
        assertThat(at(option, "xAxis", "type").toString()).isEqualTo("category");
        assertThat(at(option, "yAxis", "name").toString()).isEqualTo("valLoss (min)");
        // every run has valLoss 0.8 at its last epoch: the first is the best
        assertThat(at(option, "series", "1", "data").toString()).isEqualTo("[[[16], 0.8, 1]]");
        assertThat(page.reading(loss).scatter("no.such.path")).isNull();
        assertThat(SweepReading.objectives(loss)).first().isEqualTo(loss);
        assertThat(SweepReading.objectives(loss)).hasSize(6);
    }

    @Test
    void a_search_sweep_shows_its_best_so_far_by_trial_and_may_be_extended_once_it_finished() {
        Objective objective = new Objective("testAccuracy", Objective.Goal.MAX);
        List<Run> runs = List.of(
                SweepPageTest.run(11, Map.of("learningRate", 0.01), 0.7),
                SweepPageTest.run(12, Map.of("learningRate", 0.02), 0.9),
                SweepPageTest.run(13, Map.of("learningRate", 0.03), 0.8));
        Search search = new Search(
                null,
                Map.of("learningRate", Map.of("float", List.of(0.001, 0.1), "log", true)),
                objective,
                new Search.Budget(3, null),
                1,
                null,
                1,
                Instant.EPOCH,
                "budget spent",
                List.of(
                        new Search.TrialRecord(1, Map.of(), 11L, null, Instant.EPOCH),
                        new Search.TrialRecord(2, Map.of(), 12L, null, Instant.EPOCH),
                        new Search.TrialRecord(3, Map.of(), 13L, null, Instant.EPOCH)));
        Sweep s = SweepPageTest.sweep(Map.of(), runs);
        s = new Sweep(
                s.id(),
                s.team(),
                s.experiment(),
                s.name(),
                s.base(),
                s.grid(),
                null,
                "succeeded",
                s.counts(),
                s.size(),
                null,
                null,
                runs,
                search);
        SweepPage page = SweepPage.of(s, Map.of());
        SweepReading reading = page.reading(page.objective());
        assertThat(at(reading.bestSoFar(), "series", "0", "data").toString())
                .isEqualTo("[[1, 0.7, 11], [2, 0.9, 12], [3, 0.8, 13]]");
        assertThat(at(reading.bestSoFar(), "series", "1", "data").toString())
                .isEqualTo("[[1, 0.7], [2, 0.9], [3, 0.9]]");
        assertThat(at(reading.parallel(), "parallelAxis", "0", "type").toString())
                .isEqualTo("log");
        assertThat(page.canExtend()).isTrue();
        assertThat(page.canRerun()).isFalse();
    }
}
