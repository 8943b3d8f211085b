package io.sweeplab.plugin.api;

import java.util.Objects;

/**
 * A callback's answer: go on, or stop with a reason a person can read, optionally restoring the weights of an
 * earlier epoch (as early stopping does with the best one).
 *
 * @param stop whether the run should stop
 * @param reason why, in words, for example {@code training loss 0.39 fell below 0.4 at epoch 3}; empty to go on
 * @param restoreEpoch the 1-based epoch whose weights the run should end with, or 0 to keep the last ones
 */
public record Decision(boolean stop, String reason, int restoreEpoch) {

    private static final Decision PROCEED = new Decision(false, "", 0);

    public Decision {
        Objects.requireNonNull(reason, "reason");
        if (stop && reason.isBlank()) {
            throw new IllegalArgumentException("a stop needs a reason");
        }
        if (restoreEpoch < 0) {
            throw new IllegalArgumentException("restoreEpoch must be >= 0");
        }
    }

    public static Decision proceed() {
        return PROCEED;
    }

    public static Decision stop(String reason) {
        return new Decision(true, reason, 0);
    }

    public static Decision stopAndRestore(int epoch, String reason) {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1");
        }
        return new Decision(true, reason, epoch);
    }
}
