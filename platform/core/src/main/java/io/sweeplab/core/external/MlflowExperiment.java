package io.sweeplab.core.external;

import java.time.Instant;
import java.util.List;

/** A Sweeplab experiment as MLflow sees it; its MLflow name is {@code <team>/<name>}. */
public record MlflowExperiment(
        long id, String team, String name, boolean deleted, Instant created, Instant updated, List<KeyValue> tags) {

    public String mlflowName() {
        return team + "/" + name;
    }
}
