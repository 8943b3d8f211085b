package io.sweeplab.core.external;

import java.util.List;

/** A dataset a run used, as MLflow's log-inputs describes it, with its tags (mlflow.data.context, ...). */
public record DatasetInput(
        String name,
        String digest,
        String sourceType,
        String source,
        String schema,
        String profile,
        List<KeyValue> tags) {}
