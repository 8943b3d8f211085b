package io.sweeplab.plugin.testkit;

import io.sweeplab.plugin.api.Objective;
import io.sweeplab.plugin.api.SchedulerContext;
import io.sweeplab.plugin.api.Trial;
import java.util.List;
import java.util.Objects;

/**
 * Scheduler contexts for tests of a {@link io.sweeplab.plugin.api.TrialScheduler}, as the platform builds them after
 * a trial's epoch.
 *
 * <pre>{@code
 * SchedulerContext ctx = SchedulerContexts.of(new Objective("valAccuracy", Objective.Goal.MAX),
 *         Trials.running(3, Map.of(), 0.52), List.of(Trials.running(1, Map.of(), 0.71)), 9);
 * Decision d = scheduler.decide(params, ctx);
 * }</pre>
 */
public final class SchedulerContexts {

    private SchedulerContexts() {}

    /**
     * @param trial the trial that just recorded the last epoch of its history
     * @param others the sweep's other trials
     * @param maxEpochs the epochs each trial trains at most
     */
    public static SchedulerContext of(Objective objective, Trial trial, List<Trial> others, int maxEpochs) {
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(trial, "trial");
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("maxEpochs must be at least 1");
        }
        return new Context(objective, trial, List.copyOf(others), maxEpochs);
    }

    private record Context(Objective objective, Trial trial, List<Trial> others, int maxEpochs)
            implements SchedulerContext {}
}
