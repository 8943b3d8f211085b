package io.sweeplab.plugin.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One configuration a search sweep tried or is trying.
 *
 * @param number the trial's number in its sweep, from 1, in the order the trials were proposed
 * @param params the value of each dimension of the {@link SearchSpace}, by path
 * @param state where it stands
 * @param history the objective after each epoch done so far (its {@link Objective#metric}, or the validation
 *     value standing in for a test metric); empty before the first epoch
 * @param value the final objective of a {@link State#COMPLETE} or {@link State#STOPPED} trial; {@link Double#NaN}
 *     while it runs, when it failed, or when the metric was never recorded
 * @since 1.3
 */
public record Trial(int number, Map<String, Object> params, State state, List<Double> history, double value) {

    /** Where a trial stands. */
    public enum State {
        /** Queued or training. */
        RUNNING,
        /** Trained all its epochs (or a callback ended it as planned, as early stopping does). */
        COMPLETE,
        /** Ended early by a scheduler (or a stop rule) because it looked worse than the others. */
        STOPPED,
        /** Failed, was cancelled, or its configuration was refused. */
        FAILED
    }

    public Trial {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(history, "history");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        history = List.copyOf(history);
    }

    /** The objective after the given 1-based epoch, or NaN when the trial has not reached it. */
    public double at(int epoch) {
        return epoch >= 1 && epoch <= history.size() ? history.get(epoch - 1) : Double.NaN;
    }

    /** Whether the trial ended (in any state but {@link State#RUNNING}). */
    public boolean finished() {
        return state != State.RUNNING;
    }
}
