package io.sweeplab.core.external;

import io.sweeplab.core.run.RunStatus;
import java.util.List;

/**
 * A run logged from outside, as the MLflow protocol shows it.
 *
 * @param metrics the latest point of each metric (largest step, then timestamp, then value)
 * @param startTime,endTime ms since 1970, as the client gave them
 */
public record ExternalRun(
        RunRef ref,
        String name,
        String user,
        RunStatus status,
        Long startTime,
        Long endTime,
        List<MetricPoint> metrics,
        List<KeyValue> params,
        List<KeyValue> tags,
        List<DatasetInput> inputs) {}
