package io.sweeplab.plugins.callbacks;

import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.api.CallbackSession;
import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.EpochMetrics;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.Params;
import java.util.List;

/** Stops at the end of the epoch whose training or validation accuracy reaches a threshold. */
public final class AccuracyThresholdCallback implements Callback {

    private static final ParamSchema PARAMS = ParamSchema.of(
            ParamSpec.ofDouble("threshold", 0.95, 0, 1, "Stop once the accuracy reaches this value (0..1)"),
            ParamSpec.ofChoice("metric", "train", List.of("train", "validation"), "Which accuracy to watch"));

    @Override
    public String id() {
        return "accuracy-threshold";
    }

    @Override
    public String label() {
        return "Stop at an accuracy";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Ends the run after the first epoch whose training (or validation) accuracy reaches the threshold.";
    }

    @Override
    public ParamSchema params() {
        return PARAMS;
    }

    @Override
    public CallbackSession start(Params params) {
        double threshold = params.getDouble("threshold");
        boolean validation = params.getString("metric").equals("validation");
        return new CallbackSession() {
            @Override
            public Decision onEpochEnd(EpochMetrics m) {
                double acc = validation ? m.valAccuracy() : m.trainAccuracy();
                return acc >= threshold
                        ? Decision.stop((validation ? "validation" : "training") + " accuracy " + Fmt.num(acc)
                                + " reached " + Fmt.num(threshold) + " at epoch " + m.epoch())
                        : Decision.proceed();
            }
        };
    }
}
