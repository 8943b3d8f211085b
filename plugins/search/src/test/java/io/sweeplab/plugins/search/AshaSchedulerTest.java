package io.sweeplab.plugins.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.plugin.api.Objective;
import io.sweeplab.plugin.api.TrialScheduler;
import io.sweeplab.plugin.testkit.SchedulerContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AshaSchedulerTest extends SchedulerContract {

    @Override
    protected TrialScheduler scheduler() {
        return new AshaScheduler();
    }

    /**
     * Six trials (objective {@code base + 0.01 * epoch}), nine epochs, r = 1 and eta = 3: rungs at epochs 1 and 3.
     * Reported out of order, so each is judged against only the trials that reached its rung before it: trial 3
     * against 1 and 2 at epoch 1 (cutoff 0.51 + 2/3 * 0.10), trial 1 against 2 and 4 at epoch 3, trials 5 and 6
     * against four and five others at epoch 1 (trial 6: 0.56 + 2/3 * 0.05 over 0.41, 0.51, 0.56, 0.61, 0.71).
     * Trials 2 and 4 lead at every rung and go on to the end.
     */
    private static Map<Integer, String> sweep(Objective.Goal goal) {
        boolean loss = goal == Objective.Goal.MIN;
        double[] bases = {0.50, 0.60, 0.40, 0.70, 0.55, 0.30};
        Map<Integer, double[]> curves = new LinkedHashMap<>();
        for (int i = 0; i < bases.length; i++) {
            curves.put(i + 1, Replay.curve(bases[i], 9, loss));
        }
        List<Integer> order = new ArrayList<>(List.of(1, 2, 3, 4, 2, 2, 4, 4, 1, 1, 5, 6));
        for (int e = 0; e < 9; e++) {
            order.addAll(List.of(1, 2, 3, 4, 5, 6));
        }
        Objective objective = loss ? new Objective("valLoss", goal) : new Objective("valAccuracy", goal);
        return Replay.run(new AshaScheduler(), Map.of(), objective, 9, curves, order);
    }

    @Test
    void stops_the_trials_below_the_top_third_at_their_rung_when_maximising() {
        Map<Integer, String> stopped = sweep(Objective.Goal.MAX);
        assertThat(stopped).containsOnlyKeys(1, 3, 5, 6);
        assertThat(stopped.get(3))
                .isEqualTo("valAccuracy 0.410 at epoch 1 is below the rung cutoff 0.577"
                        + " (top 1/3 of 2 other trials at epoch 1)");
        assertThat(stopped.get(1))
                .isEqualTo("valAccuracy 0.530 at epoch 3 is below the rung cutoff 0.697"
                        + " (top 1/3 of 2 other trials at epoch 3)");
        assertThat(stopped.get(5))
                .isEqualTo("valAccuracy 0.560 at epoch 1 is below the rung cutoff 0.610"
                        + " (top 1/3 of 4 other trials at epoch 1)");
        assertThat(stopped.get(6))
                .isEqualTo("valAccuracy 0.310 at epoch 1 is below the rung cutoff 0.593"
                        + " (top 1/3 of 5 other trials at epoch 1)");
    }

    @Test
    void stops_the_same_trials_when_minimising_the_mirrored_losses() {
        Map<Integer, String> stopped = sweep(Objective.Goal.MIN);
        assertThat(stopped).containsOnlyKeys(1, 3, 5, 6);
        assertThat(stopped.get(1))
                .isEqualTo("valLoss 0.470 at epoch 3 is above the rung cutoff 0.303"
                        + " (top 1/3 of 2 other trials at epoch 3)");
        assertThat(stopped.get(3)).startsWith("valLoss 0.590 at epoch 1 is above the rung cutoff 0.423");
    }

    @Test
    void the_first_trial_at_a_rung_goes_on_and_off_rung_epochs_are_never_judged() {
        Map<Integer, double[]> curves = Map.of(1, Replay.curve(0.9, 9, false), 2, Replay.curve(0.1, 9, false));
        // trial 2, far worse, reaches rungs 1 and 3 first and goes on; trial 1 beats it at both
        Map<Integer, String> stopped = Replay.run(
                new AshaScheduler(),
                Map.of(),
                new Objective("valAccuracy", Objective.Goal.MAX),
                9,
                curves,
                List.of(2, 2, 2, 1, 1, 1, 1, 2));
        assertThat(stopped).isEmpty();
    }

    @Test
    void rungs_are_r_times_powers_of_eta_below_the_last_epoch() {
        assertThat(List.of(1, 2, 3, 4, 5, 8, 16).stream()
                        .filter(e -> AshaScheduler.isRung(e, 2, 2))
                        .toList())
                .containsExactly(2, 4, 8, 16);
        assertThat(AshaScheduler.isRung(9, 1, 3)).isTrue();
        assertThat(AshaScheduler.isRung(6, 2, 3)).isTrue();
        assertThat(AshaScheduler.isRung(5, 1, 3)).isFalse();
    }
}
