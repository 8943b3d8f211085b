package io.sweeplab.plugins.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.api.CallbackSession;
import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.EpochMetrics;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallbacksTest {

    private static CallbackSession start(Callback cb, Map<String, ?> raw) {
        var v = cb.params().validate(raw);
        assertThat(v.violations()).isEmpty();
        return cb.start(v.params());
    }

    /** Feeds epochs (trainLoss, trainAcc, valLoss, valAcc) and returns the first stop, with its epoch. */
    private static Decision run(CallbackSession s, double[]... epochs) {
        for (int i = 0; i < epochs.length; i++) {
            double[] e = epochs[i];
            Decision d = s.onEpochEnd(new EpochMetrics(i + 1, e[0], e[1], e[2], e[3]));
            if (d.stop()) {
                return d;
            }
        }
        return Decision.proceed();
    }

    @Test
    void loss_threshold_stops_at_the_first_epoch_below() {
        Decision d = run(
                start(new LossThresholdCallback(), Map.of("threshold", 0.4)),
                new double[] {0.5, 0.8, 0.45, 0.84},
                new double[] {0.41, 0.85, 0.4, 0.85},
                new double[] {0.3512, 0.87, 0.38, 0.86},
                new double[] {0.3, 0.9, 0.37, 0.87});
        assertThat(d.stop()).isTrue();
        assertThat(d.reason()).isEqualTo("training loss 0.3512 fell below 0.4000 at epoch 3");
        assertThat(d.restoreEpoch()).isZero();
    }

    @Test
    void loss_threshold_never_reached_goes_on() {
        Decision d = run(start(new LossThresholdCallback(), Map.of()), new double[] {0.5, 0.8, 0.45, 0.84});
        assertThat(d.stop()).isFalse();
    }

    @Test
    void accuracy_threshold_watches_the_chosen_metric() {
        double[][] epochs = {{0.5, 0.90, 0.5, 0.85}, {0.3, 0.96, 0.4, 0.88}, {0.2, 0.97, 0.35, 0.91}};
        Decision train = run(start(new AccuracyThresholdCallback(), Map.of("threshold", 0.95)), epochs);
        assertThat(train.reason()).isEqualTo("training accuracy 0.9600 reached 0.9500 at epoch 2");
        Decision val =
                run(start(new AccuracyThresholdCallback(), Map.of("threshold", 0.9, "metric", "validation")), epochs);
        assertThat(val.reason()).isEqualTo("validation accuracy 0.9100 reached 0.9000 at epoch 3");
    }

    @Test
    void early_stopping_waits_patience_epochs_and_restores_the_best() {
        Decision d = run(
                start(new EarlyStoppingCallback(), Map.of("patience", 2)),
                new double[] {0.5, 0.8, 0.40, 0.85},
                new double[] {0.4, 0.85, 0.35, 0.87},
                new double[] {0.3, 0.88, 0.36, 0.87},
                new double[] {0.2, 0.9, 0.34, 0.88},
                new double[] {0.1, 0.95, 0.37, 0.87},
                new double[] {0.05, 0.97, 0.39, 0.86});
        assertThat(d.stop()).isTrue();
        assertThat(d.restoreEpoch()).isEqualTo(4);
        assertThat(d.reason())
                .isEqualTo("validation loss did not improve for 2 epochs (best 0.3400 at epoch 4, 0.3900 at epoch 6);"
                        + " restored epoch 4");
    }

    @Test
    void early_stopping_min_delta_and_no_restore() {
        Decision d = run(
                start(new EarlyStoppingCallback(), Map.of("patience", 1, "minDelta", 0.05, "restoreBest", false)),
                new double[] {0.5, 0.8, 0.40, 0.85},
                new double[] {0.4, 0.85, 0.38, 0.87});
        assertThat(d.stop()).isTrue();
        assertThat(d.restoreEpoch()).isZero();
        assertThat(d.reason()).startsWith("validation loss did not improve for 1 epoch (best 0.4000 at epoch 1");
    }
}
