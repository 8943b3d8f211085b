package com.acme.sweeplab;

import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.api.CallbackSession;
import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.EpochMetrics;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.Params;
import java.util.Locale;

/** Stops a run that overfits: training accuracy ahead of validation accuracy by more than a gap, for a while. */
public class GapStop implements Callback {

    @Override
    public String id() {
        return "acme-gap-stop";
    }

    @Override
    public String label() {
        return "Stop on the train-validation gap (Acme)";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Stops when training accuracy exceeds validation accuracy by more than the gap for `patience` epochs"
                + " in a row, keeping the weights of the last epoch within the gap.";
    }

    @Override
    public ParamSchema params() {
        return ParamSchema.of(
                ParamSpec.ofDouble("gap", 0.05, 0.001, 1.0, "largest tolerated train minus validation accuracy"),
                ParamSpec.ofInt("patience", 2, 1, 20, "epochs in a row beyond the gap before stopping"));
    }

    @Override
    public CallbackSession start(Params params) {
        double gap = params.getDouble("gap");
        int patience = params.getInt("patience");
        // the per-run state lives in the session; the callback itself stays stateless
        return new CallbackSession() {
            private int beyond;
            private int lastWithin;

            @Override
            public Decision onEpochEnd(EpochMetrics m) {
                double g = m.trainAccuracy() - m.valAccuracy();
                if (Double.isNaN(g) || g <= gap) {
                    beyond = 0;
                    lastWithin = m.epoch();
                    return Decision.proceed();
                }
                if (++beyond < patience) {
                    return Decision.proceed();
                }
                String reason = String.format(
                        Locale.ROOT,
                        "train-validation accuracy gap %.3f exceeded %.3f for %d epochs at epoch %d",
                        g,
                        gap,
                        beyond,
                        m.epoch());
                return lastWithin > 0 ? Decision.stopAndRestore(lastWithin, reason) : Decision.stop(reason);
            }
        };
    }
}
