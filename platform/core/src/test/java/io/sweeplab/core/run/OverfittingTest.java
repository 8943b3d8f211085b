package io.sweeplab.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverfittingTest {

    static List<EpochMetric> curves(double[] train, double[] val) {
        List<EpochMetric> out = new ArrayList<>();
        for (int i = 0; i < train.length; i++) {
            out.add(new EpochMetric(i + 1, 1 - train[i], train[i], 1 - val[i], val[i], 10, 6000));
        }
        return out;
    }

    @Test
    void validation_peaking_while_training_climbs_marks_the_peak() {
        Overfitting o = Overfitting.of(curves(
                new double[] {0.80, 0.86, 0.89, 0.92, 0.95, 0.97},
                new double[] {0.84, 0.87, 0.89, 0.885, 0.888, 0.884}));
        assertThat(o.onset()).hasValue(3);
        assertThat(o.bestValEpoch()).isEqualTo(3);
        assertThat(o.bestValAccuracy()).isEqualTo(0.89);
        assertThat(o.finalGap()).isCloseTo(0.086, within(1e-9));
        assertThat(o.bestMinusLast()).isCloseTo(0.006, within(1e-9));
    }

    @Test
    void still_improving_or_flat_training_is_no_overfitting() {
        assertThat(Overfitting.of(curves(new double[] {0.8, 0.85, 0.88}, new double[] {0.82, 0.85, 0.87}))
                        .onset())
                .isEmpty();
        assertThat(Overfitting.of(curves(new double[] {0.9, 0.9, 0.9}, new double[] {0.88, 0.87, 0.86}))
                        .onset())
                .isEmpty();
        assertThat(Overfitting.of(List.of()).onset()).isEmpty();
        assertThat(Overfitting.of(curves(new double[] {0.8, 0.85, 0.88}, new double[] {0.82, 0.85, 0.87}))
                        .bestMinusLast())
                .as("the last epoch is the best")
                .isZero();
    }
}
