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
 * Asynchronous successive halving, as Ray Tune's {@code AsyncHyperBandScheduler} with one bracket: rungs at epochs
 * {@code r, r*eta, r*eta^2, ...} below the trial's last epoch. When a trial records a rung epoch, the cutoff is the
 * {@code (1 - 1/eta)} percentile (numpy's linear rule) of the values the other trials recorded at that rung before
 * it, so the top {@code 1/eta} of them lie at or above it; the trial stops when its value is strictly worse. The
 * first trial at a rung has nothing to compare with and goes on. With goal {@code min} values are negated first, as
 * Ray does.
 */
public final class AshaScheduler implements TrialScheduler {

    private static final ParamSchema PARAMS = ParamSchema.of(
            ParamSpec.ofInt(
                    "minEpochs", 1, 1, 10_000, "The first rung: epochs every trial trains (r, the grace period)"),
            ParamSpec.ofInt(
                    "reductionFactor",
                    3,
                    2,
                    100,
                    "eta: rungs at r, r*eta, r*eta^2, ... epochs; only the top 1/eta at a rung go on"));

    @Override
    public String id() {
        return "asha";
    }

    @Override
    public String label() {
        return "ASHA";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Asynchronous successive halving: at epochs r, r*eta, r*eta^2, ... stops a trial below the top 1/eta"
                + " of the trials that reached that epoch before it.";
    }

    @Override
    public ParamSchema params() {
        return PARAMS;
    }

    @Override
    public Decision decide(Params params, SchedulerContext context) {
        int r = params.getInt("minEpochs");
        int eta = params.getInt("reductionFactor");
        Trial trial = context.trial();
        int epoch = trial.history().size();
        if (epoch >= context.maxEpochs() || !isRung(epoch, r, eta)) {
            return Decision.proceed();
        }
        Objective objective = context.objective();
        double value = trial.at(epoch);
        if (Double.isNaN(value)) {
            return Decision.proceed();
        }
        double[] recorded = context.others().stream()
                .mapToDouble(t -> t.at(epoch))
                .filter(v -> !Double.isNaN(v))
                .map(v -> -objective.loss(v))
                .toArray();
        if (recorded.length == 0) {
            return Decision.proceed();
        }
        double cutoff = Percentile.of(recorded, (1 - 1.0 / eta) * 100);
        if (-objective.loss(value) >= cutoff) {
            return Decision.proceed();
        }
        double shown = objective.goal() == Objective.Goal.MAX ? cutoff : -cutoff;
        return Decision.stop(objective.metric() + " " + Fmt.num(value) + " at epoch " + epoch + " is "
                + (objective.goal() == Objective.Goal.MAX ? "below" : "above") + " the rung cutoff " + Fmt.num(shown)
                + " (top 1/" + eta + " of " + recorded.length + " other trial" + (recorded.length == 1 ? "" : "s")
                + " at epoch " + epoch + ")");
    }

    /** Whether {@code epoch} is {@code r * eta^k} for some {@code k >= 0}. */
    static boolean isRung(int epoch, int r, int eta) {
        long rung = r;
        while (rung < epoch) {
            rung *= eta;
        }
        return rung == epoch;
    }
}
