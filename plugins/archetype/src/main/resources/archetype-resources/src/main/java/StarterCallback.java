package ${package};

import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.api.CallbackSession;
import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.EpochMetrics;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.Params;

/** Stops once validation accuracy reaches a target: replace it with your own rule. */
public class StarterCallback implements Callback {

    @Override
    public String id() {
        return "${artifactId}-target";
    }

    @Override
    public String label() {
        return "Stop at a validation accuracy (${artifactId})";
    }

    @Override
    public String version() {
        return "${version}";
    }

    @Override
    public String description() {
        return "Stops the run at the end of the first epoch whose validation accuracy reaches the target.";
    }

    @Override
    public ParamSchema params() {
        return ParamSchema.of(ParamSpec.ofDouble("target", 0.9, 0.1, 1.0, "validation accuracy to stop at"));
    }

    @Override
    public CallbackSession start(Params params) {
        double target = params.getDouble("target");
        return new CallbackSession() {
            @Override
            public Decision onEpochEnd(EpochMetrics m) {
                return m.valAccuracy() >= target
                        ? Decision.stop("validation accuracy " + m.valAccuracy() + " reached " + target)
                        : Decision.proceed();
            }
        };
    }
}
