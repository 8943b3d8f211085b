package io.sweeplab.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.plugin.api.Objective;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sweep's runs read against an objective, without a database. */
class SweepAnalysisTest {

    static Run run(long id, Map<String, Object> cell, RunStatus status, Double testAccuracy) {
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
                null,
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

    static Sweep sweep(Map<String, List<Object>> grid, List<Run> runs, Search search) {
        return new Sweep(
                7, "team", 1, "s", Map.of(), grid, null, "succeeded", Map.of(), runs.size(), null, null, runs, search);
    }

    static EpochMetric epoch(int epoch, double valAccuracy, double valLoss) {
        return new EpochMetric(epoch, 1, 0.5, valLoss, valAccuracy, 1, 100);
    }

    @Test
    void a_grid_sweep_reads_test_scores_by_default_and_the_last_epoch_for_per_epoch_metrics() {
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        grid.put("learningRate", List.of(0.1, 0.01));
        grid.put("params.filters", List.of(List.of(16, 16), List.of(32, 32)));
        List<Run> runs = List.of(
                run(1, Map.of("learningRate", 0.1, "params.filters", List.of(16, 16)), RunStatus.SUCCEEDED, 0.80),
                run(2, Map.of("learningRate", 0.01, "params.filters", List.of(32, 32)), RunStatus.STOPPED, 0.85),
                run(3, Map.of("learningRate", 0.1, "params.filters", List.of(32, 32)), RunStatus.FAILED, null),
                run(4, Map.of("learningRate", 0.01, "params.filters", List.of(16, 16)), RunStatus.RUNNING, null));
        Map<Long, List<EpochMetric>> metrics = Map.of(
                1L, List.of(epoch(1, 0.7, 0.9), epoch(2, 0.75, 0.6)),
                2L, List.of(epoch(1, 0.72, 0.5)),
                3L, List.of(epoch(1, 0.99, 0.1)), // failed: its last epoch is no final value
                4L, List.of(epoch(1, 0.99, 0.1))); // still running
        Sweep s = sweep(grid, runs, null);

        assertThat(SweepAnalysis.objectiveOf(s)).isEqualTo(SweepAnalysis.DEFAULT_OBJECTIVE);
        SweepAnalysis test = SweepAnalysis.of(s, metrics, SweepAnalysis.DEFAULT_OBJECTIVE);
        assertThat(test.values()).containsExactly(Map.entry(1L, 0.80), Map.entry(2L, 0.85));
        assertThat(test.best()).isEqualTo(2L);
        assertThat(test.bestSoFar()).isEmpty();

        SweepAnalysis loss = SweepAnalysis.of(s, metrics, new Objective("valLoss", Objective.Goal.MIN));
        assertThat(loss.values()).containsExactly(Map.entry(1L, 0.6), Map.entry(2L, 0.5));
        assertThat(loss.best()).isEqualTo(2L);
        SweepAnalysis val = SweepAnalysis.of(s, metrics, new Objective("valAccuracy", Objective.Goal.MAX));
        assertThat(val.best()).isEqualTo(1L);
        assertThat(SweepAnalysis.of(s, metrics, new Objective("noSuchMetric", Objective.Goal.MAX))
                        .values())
                .isEmpty();

        // a number is numeric, a list a categorical label in the grid's order
        assertThat(test.parameters())
                .containsExactly(
                        new SweepAnalysis.Parameter("learningRate", SweepAnalysis.Kind.NUMERIC, List.of(), false),
                        new SweepAnalysis.Parameter(
                                "params.filters",
                                SweepAnalysis.Kind.CATEGORICAL,
                                List.of("[16, 16]", "[32, 32]"),
                                false));
        assertThat(test.importance().unavailable()).isEqualTo("needs at least 8 runs with a value (2 so far)");
    }

    @Test
    void a_search_sweep_gives_its_best_so_far_by_trial_number_skipping_trials_without_a_value() {
        Map<String, Object> space = new LinkedHashMap<>();
        space.put("learningRate", Map.of("float", List.of(0.0001, 0.1), "log", true));
        space.put("params.activation", Map.of("values", List.of("relu", "tanh")));
        List<Run> runs = new ArrayList<>();
        List<Search.TrialRecord> trials = new ArrayList<>();
        double[] loss = {0.9, 0.7, 0.8, Double.NaN, 0.4, 0.5};
        for (int i = 0; i < loss.length; i++) {
            long id = 100 + i;
            Map<String, Object> cell =
                    Map.of("learningRate", 0.001 * (i + 1), "params.activation", i % 2 == 0 ? "tanh" : "relu");
            runs.add(run(id, cell, Double.isNaN(loss[i]) ? RunStatus.FAILED : RunStatus.SUCCEEDED, 0.5));
            trials.add(new Search.TrialRecord(i + 1, cell, id, null, Instant.EPOCH));
        }
        trials.add(new Search.TrialRecord(7, Map.of(), null, "refused", Instant.EPOCH)); // no run at all
        Objective objective = new Objective("valLoss", Objective.Goal.MIN);
        Search search = new Search(
                null,
                space,
                objective,
                new Search.Budget(8, null),
                2,
                null,
                1,
                Instant.EPOCH,
                null,
                List.copyOf(trials));
        Map<Long, List<EpochMetric>> metrics = new LinkedHashMap<>();
        for (int i = 0; i < loss.length; i++) {
            metrics.put(100L + i, List.of(epoch(1, 0.5, 2.0), epoch(2, 0.5, Double.isNaN(loss[i]) ? 0.1 : loss[i])));
        }
        Sweep s = sweep(Map.of(), runs, search);

        assertThat(SweepAnalysis.objectiveOf(s)).isEqualTo(objective);
        SweepAnalysis a = SweepAnalysis.of(s, metrics, objective);
        assertThat(a.bestSoFar())
                .containsExactly(
                        new SweepAnalysis.Trial(1, 100, 0.9, 0.9),
                        new SweepAnalysis.Trial(2, 101, 0.7, 0.7),
                        new SweepAnalysis.Trial(3, 102, 0.8, 0.7),
                        new SweepAnalysis.Trial(5, 104, 0.4, 0.4),
                        new SweepAnalysis.Trial(6, 105, 0.5, 0.4));
        assertThat(a.best()).isEqualTo(104L);
        // the space's order and kinds; its categorical values in the space's order
        assertThat(a.parameters())
                .containsExactly(
                        new SweepAnalysis.Parameter("learningRate", SweepAnalysis.Kind.NUMERIC, List.of(), true),
                        new SweepAnalysis.Parameter(
                                "params.activation", SweepAnalysis.Kind.CATEGORICAL, List.of("relu", "tanh"), false));
        assertThat(a.parameters().get(1).code("tanh")).isEqualTo(1.0);
    }

    @Test
    void importance_over_a_sweep_finds_the_parameter_that_moves_the_objective() {
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        List<Object> rates = List.of(0.001, 0.01, 0.1, 0.3);
        List<Object> seeds = List.of(1, 2, 3, 4);
        grid.put("learningRate", rates);
        grid.put("seed", seeds);
        List<Run> runs = new ArrayList<>();
        long id = 1;
        java.util.Random noise = new java.util.Random(2);
        for (Object lr : rates) {
            for (Object seed : seeds) {
                double acc = 0.9 - Math.abs(Math.log10((Double) lr) + 2) * 0.1 + 0.005 * noise.nextGaussian();
                runs.add(run(id++, Map.of("learningRate", lr, "seed", seed), RunStatus.SUCCEEDED, acc));
            }
        }
        SweepAnalysis a = SweepAnalysis.of(sweep(grid, runs, null), Map.of(), SweepAnalysis.DEFAULT_OBJECTIVE);
        assertThat(a.importance().importance().get("learningRate")).isGreaterThan(0.8);
        assertThat(a.importance().method()).isEqualTo(ParameterImportance.METHOD);
    }

    @Test
    void labels_print_values_as_the_sweep_did() {
        assertThat(SweepAnalysis.label(List.of(16.0, 32))).isEqualTo("[16, 32]");
        assertThat(SweepAnalysis.label(0.5)).isEqualTo("0.5");
        assertThat(SweepAnalysis.label(null)).isEmpty();
    }
}
