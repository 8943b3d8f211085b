package io.sweeplab.plugins.callbacks;

import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.api.CallbackSession;
import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.EpochMetrics;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.Params;

/**
 * Keras' EarlyStopping on validation loss: stops when the validation loss has not improved by more than
 * {@code minDelta} for {@code patience} epochs, and optionally ends with the weights of the best epoch.
 */
public final class EarlyStoppingCallback implements Callback {

    private static final ParamSchema PARAMS = ParamSchema.of(
            ParamSpec.ofInt("patience", 2, 1, 1000, "Epochs without improvement before stopping"),
            ParamSpec.ofDouble("minDelta", 0.0, 0, 100, "Smallest decrease of validation loss that counts"),
            ParamSpec.ofBoolean(
                    "restoreBest", true, "End with the weights of the epoch with the best validation loss"));

    @Override
    public String id() {
        return "early-stopping";
    }

    @Override
    public String label() {
        return "Early stopping";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Stops when the validation loss stops improving, to catch overfitting; can restore the best epoch.";
    }

    @Override
    public ParamSchema params() {
        return PARAMS;
    }

    @Override
    public CallbackSession start(Params params) {
        int patience = params.getInt("patience");
        double minDelta = params.getDouble("minDelta");
        boolean restoreBest = params.getBoolean("restoreBest");
        return new CallbackSession() {
            private double best = Double.POSITIVE_INFINITY;
            private int bestEpoch;
            private int wait;

            @Override
            public Decision onEpochEnd(EpochMetrics m) {
                if (Double.isNaN(m.valLoss())) {
                    return Decision.proceed();
                }
                if (m.valLoss() < best - minDelta) {
                    best = m.valLoss();
                    bestEpoch = m.epoch();
                    wait = 0;
                    return Decision.proceed();
                }
                if (++wait < patience) {
                    return Decision.proceed();
                }
                String reason = "validation loss did not improve for " + patience + " epoch"
                        + (patience == 1 ? "" : "s") + " (best " + Fmt.num(best) + " at epoch " + bestEpoch
                        + ", " + Fmt.num(m.valLoss()) + " at epoch " + m.epoch() + ")";
                return restoreBest && bestEpoch > 0
                        ? Decision.stopAndRestore(bestEpoch, reason + "; restored epoch " + bestEpoch)
                        : Decision.stop(reason);
            }
        };
    }
}
