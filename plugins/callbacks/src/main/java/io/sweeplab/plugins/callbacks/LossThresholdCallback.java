package io.sweeplab.plugins.callbacks;

import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.api.CallbackSession;
import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.EpochMetrics;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.Params;

/** The lab's exercise 5: stop at the end of the epoch whose mean training loss is below a threshold. */
public final class LossThresholdCallback implements Callback {

    private static final ParamSchema PARAMS = ParamSchema.of(ParamSpec.ofDouble(
            "threshold", 0.4, 0, 1000, "Stop once an epoch's mean training loss is below this value"));

    @Override
    public String id() {
        return "loss-threshold";
    }

    @Override
    public String label() {
        return "Stop at a training loss";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Ends the run after the first epoch whose mean training loss falls below the threshold.";
    }

    @Override
    public ParamSchema params() {
        return PARAMS;
    }

    @Override
    public CallbackSession start(Params params) {
        double threshold = params.getDouble("threshold");
        return new CallbackSession() {
            @Override
            public Decision onEpochEnd(EpochMetrics m) {
                return m.trainLoss() < threshold
                        ? Decision.stop("training loss " + Fmt.num(m.trainLoss()) + " fell below " + Fmt.num(threshold)
                                + " at epoch " + m.epoch())
                        : Decision.proceed();
            }
        };
    }
}
