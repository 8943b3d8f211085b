package io.sweeplab.plugins.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.Objective;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.Trial;
import io.sweeplab.plugin.api.TrialScheduler;
import io.sweeplab.plugin.testkit.SchedulerContexts;
import io.sweeplab.plugin.testkit.SchedulerContract;
import io.sweeplab.plugin.testkit.Trials;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MedianSchedulerTest extends SchedulerContract {

    private static final Objective ACC = new Objective("valAccuracy", Objective.Goal.MAX);
    private static final Objective LOSS = new Objective("valLoss", Objective.Goal.MIN);

    @Override
    protected TrialScheduler scheduler() {
        return new MedianScheduler();
    }

    /**
     * Five trials of four epochs ({@code base + 0.01 * epoch}), startupTrials 2: trials 1 and 2 run first and
     * complete (trial 2, worse than 1, is not judged against one completed trial); then 3, 4 and 5 run interleaved
     * against the median of 1 and 2 ({@code 0.475 + 0.01 * epoch}): 3 and 5 stop at their first epoch, 4 goes on.
     */
    private static Map<Integer, String> sweep(Objective objective) {
        boolean loss = objective.goal() == Objective.Goal.MIN;
        double[] bases = {0.50, 0.45, 0.46, 0.58, 0.40};
        Map<Integer, double[]> curves = new LinkedHashMap<>();
        for (int i = 0; i < bases.length; i++) {
            curves.put(i + 1, Replay.curve(bases[i], 4, loss));
        }
        List<Integer> order = new ArrayList<>(List.of(1, 1, 1, 1, 2, 2, 2, 2));
        for (int e = 0; e < 4; e++) {
            order.addAll(List.of(3, 4, 5));
        }
        return Replay.run(new MedianScheduler(), Map.of("startupTrials", 2), objective, 4, curves, order);
    }

    @Test
    void stops_the_trials_below_the_median_of_the_completed_ones_when_maximising() {
        Map<Integer, String> stopped = sweep(ACC);
        assertThat(stopped).containsOnlyKeys(3, 5);
        assertThat(stopped.get(3))
                .isEqualTo("valAccuracy 0.470 (best up to epoch 1) is below the median 0.485"
                        + " of 2 completed trials at epoch 1");
        assertThat(stopped.get(5)).startsWith("valAccuracy 0.410 (best up to epoch 1) is below the median 0.485");
    }

    @Test
    void stops_the_same_trials_when_minimising_the_mirrored_losses() {
        Map<Integer, String> stopped = sweep(LOSS);
        assertThat(stopped).containsOnlyKeys(3, 5);
        assertThat(stopped.get(3))
                .isEqualTo("valLoss 0.530 (best up to epoch 1) is above the median 0.515"
                        + " of 2 completed trials at epoch 1");
    }

    private static Decision decide(Map<String, ?> raw, Trial trial, List<Trial> others) {
        MedianScheduler median = new MedianScheduler();
        Params params = median.params().validate(raw).params();
        return median.decide(params, SchedulerContexts.of(ACC, trial, others, 9));
    }

    private static final List<Trial> COMPLETE = List.of(
            Trials.complete(1, Map.of(), 0.5, 0.6, 0.7),
            Trials.complete(2, Map.of(), 0.6, 0.7, 0.8),
            Trials.complete(3, Map.of(), 0.4, 0.5, 0.6));

    @Test
    void judges_the_best_value_so_far_after_the_warmup() {
        Map<String, ?> raw = Map.of("startupTrials", 3, "warmupEpochs", 1);
        assertThat(decide(raw, Trials.running(4, Map.of(), 0.1), COMPLETE).stop())
                .as("within the warm-up")
                .isFalse();
        assertThat(decide(raw, Trials.running(4, Map.of(), 0.45, 0.55), COMPLETE)
                        .reason())
                .isEqualTo("valAccuracy 0.550 (best up to epoch 2) is below the median 0.600"
                        + " of 3 completed trials at epoch 2");
        assertThat(decide(raw, Trials.running(5, Map.of(), 0.65, 0.58), COMPLETE)
                        .stop())
                .as("its best, 0.65 at epoch 1, beats the median 0.6 at epoch 2")
                .isFalse();
        assertThat(decide(raw, Trials.running(6, Map.of(), Double.NaN, Double.NaN), COMPLETE)
                        .reason())
                .isEqualTo("valAccuracy is NaN at every epoch up to 2, while the median of 3 completed trials at"
                        + " epoch 2 is 0.600");
    }

    @Test
    void only_completed_trials_count_towards_the_startup_and_the_median() {
        List<Trial> others = List.of(
                COMPLETE.get(0),
                Trials.running(2, Map.of(), 0.9, 0.9),
                Trials.stopped(3, Map.of(), 0.1, 0.1),
                Trials.failed(4, Map.of(), 0.9, 0.9));
        assertThat(decide(Map.of("startupTrials", 2), Trials.running(5, Map.of(), 0.2, 0.3), others)
                        .stop())
                .isFalse();
        assertThat(decide(Map.of("startupTrials", 1), Trials.running(5, Map.of(), 0.2, 0.3), others)
                        .reason())
                .isEqualTo("valAccuracy 0.300 (best up to epoch 2) is below the median 0.600"
                        + " of 1 completed trial at epoch 2");
        assertThat(decide(Map.of("startupTrials", 1), Trials.running(5, Map.of(), 0.61, 0.62), others)
                        .stop())
                .isFalse();
    }
}
