package io.sweeplab.plugins.search;

import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.Objective;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.SchedulerContext;
import io.sweeplab.plugin.api.Trial;
import io.sweeplab.plugin.api.TrialScheduler;

/**
 * The median stopping rule as Optuna's {@code MedianPruner}: once {@code startupTrials} other trials completed, and
 * after {@code warmupEpochs} epochs, a trial stops when its best value so far is worse than the median of the
 * completed trials' values at the same epoch (among those that recorded it). A trial whose every value so far is
 * NaN (diverged) stops when the completed ones have values there.
 */
public final class MedianScheduler implements TrialScheduler {

    private static final ParamSchema PARAMS = ParamSchema.of(
            ParamSpec.ofInt("startupTrials", 5, 0, 10_000, "Completed trials needed before any trial is stopped"),
            ParamSpec.ofInt("warmupEpochs", 0, 0, 10_000, "Epochs every trial trains before it may be stopped"));

    @Override
    public String id() {
        return "median";
    }

    @Override
    public String label() {
        return "Median stopping";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Stops a trial whose best value so far is worse than the median of the completed trials at the same"
                + " epoch, as Optuna's MedianPruner.";
    }

    @Override
    public ParamSchema params() {
        return PARAMS;
    }

    @Override
    public Decision decide(Params params, SchedulerContext context) {
        int startup = params.getInt("startupTrials");
        int warmup = params.getInt("warmupEpochs");
        Trial trial = context.trial();
        int epoch = trial.history().size();
        long complete = context.others().stream()
                .filter(t -> t.state() == Trial.State.COMPLETE)
                .count();
        if (epoch == 0 || epoch <= warmup || complete == 0 || complete < startup) {
            return Decision.proceed();
        }
        Objective objective = context.objective();
        double[] there = context.others().stream()
                .filter(t -> t.state() == Trial.State.COMPLETE)
                .mapToDouble(t -> t.at(epoch))
                .filter(v -> !Double.isNaN(v))
                .toArray();
        if (there.length == 0) {
            return Decision.proceed();
        }
        double median = Percentile.of(there, 50);
        String of = " of " + there.length + " completed trial" + (there.length == 1 ? "" : "s") + " at epoch " + epoch;
        double best = Double.NaN;
        for (double v : trial.history()) {
            if (objective.better(v, best)) {
                best = v;
            }
        }
        if (Double.isNaN(best)) {
            return Decision.stop(objective.metric() + " is NaN at every epoch up to " + epoch + ", while the median"
                    + of + " is " + Fmt.num(median));
        }
        if (!objective.better(median, best)) {
            return Decision.proceed();
        }
        return Decision.stop(objective.metric() + " " + Fmt.num(best) + " (best up to epoch " + epoch + ") is "
                + (objective.goal() == Objective.Goal.MAX ? "below" : "above") + " the median " + Fmt.num(median) + of);
    }
}
