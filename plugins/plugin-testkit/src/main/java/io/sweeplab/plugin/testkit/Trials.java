package io.sweeplab.plugin.testkit;

import io.sweeplab.plugin.api.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Trials for tests of strategies and schedulers. The history lists the objective after each epoch; a complete or
 * stopped trial's value is its last epoch's unless given.
 */
public final class Trials {

    private Trials() {}

    /** A trial queued or training, with the epochs it did so far. */
    public static Trial running(int number, Map<String, Object> params, double... history) {
        return new Trial(number, params, Trial.State.RUNNING, list(history), Double.NaN);
    }

    /** A trial that trained all its epochs; its value is the last epoch's (NaN without epochs). */
    public static Trial complete(int number, Map<String, Object> params, double... history) {
        return new Trial(number, params, Trial.State.COMPLETE, list(history), last(history));
    }

    /** A complete trial known only by its final value (no per-epoch history). */
    public static Trial completeWithValue(int number, Map<String, Object> params, double value) {
        return new Trial(number, params, Trial.State.COMPLETE, List.of(), value);
    }

    /** A trial a scheduler stopped after the epochs of its history; its value is the last epoch's. */
    public static Trial stopped(int number, Map<String, Object> params, double... history) {
        return new Trial(number, params, Trial.State.STOPPED, list(history), last(history));
    }

    /** A trial that failed, was cancelled or was refused, after the epochs of its history. */
    public static Trial failed(int number, Map<String, Object> params, double... history) {
        return new Trial(number, params, Trial.State.FAILED, list(history), Double.NaN);
    }

    private static List<Double> list(double[] history) {
        List<Double> out = new ArrayList<>(history.length);
        for (double v : history) {
            out.add(v);
        }
        return out;
    }

    private static double last(double[] history) {
        return history.length == 0 ? Double.NaN : history[history.length - 1];
    }
}
