package io.sweeplab.core.run;

import java.util.List;
import java.util.Map;

/**
 * What a run logged from outside (through the MLflow protocol) has besides the fields every run has.
 *
 * @param mlflowRunId its MLflow run id (32 hex characters)
 * @param lifecycle {@code active} or {@code deleted} (MLflow deletes softly)
 * @param metricKeys the names of the metrics it logged
 */
public record ExternalDetails(
        String mlflowRunId,
        String name,
        String lifecycle,
        Map<String, String> params,
        Map<String, String> tags,
        List<String> metricKeys) {}
