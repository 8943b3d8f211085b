package io.sweeplab.plugin.api;

import java.util.Objects;

/**
 * What a search sweep optimises.
 *
 * @param metric a stored metric: {@code valAccuracy}, {@code valLoss}, {@code trainAccuracy}, {@code trainLoss}
 *     (per epoch), {@code testAccuracy} or {@code testLoss} (at the end of a run; per epoch, the validation value
 *     stands in for them, since the platform evaluates on the test set after each epoch)
 * @param goal whether larger or smaller values are better
 * @since 1.3
 */
public record Objective(String metric, Goal goal) {

    /** Whether larger ({@code MAX}) or smaller ({@code MIN}) values are better. */
    public enum Goal {
        MAX,
        MIN
    }

    public Objective {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(goal, "goal");
    }

    /** Whether {@code a} is strictly better than {@code b}; a NaN is never better, and any number beats a NaN. */
    public boolean better(double a, double b) {
        if (Double.isNaN(a)) {
            return false;
        }
        if (Double.isNaN(b)) {
            return true;
        }
        return goal == Goal.MAX ? a > b : a < b;
    }

    /** The value as a quantity to minimise: itself for {@code MIN}, its negation for {@code MAX}. */
    public double loss(double value) {
        return goal == Goal.MAX ? -value : value;
    }
}
