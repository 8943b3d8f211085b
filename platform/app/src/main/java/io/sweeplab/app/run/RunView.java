package io.sweeplab.app.run;

import io.sweeplab.core.run.DataSpec;
import io.sweeplab.core.run.DatasetProvenance;
import io.sweeplab.core.run.ExtensionUse;
import io.sweeplab.core.run.ExtensionVersion;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.Run;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run as the API shows it: the spec's fields at the top level, then status and results.
 *
 * @param dataset the dataset the run asked for, with complete parameters
 * @param datasetLoaded what its worker loaded: id, version, SHA-256 of the content, shape, classes, split sizes;
 *     null before it started
 * @param overfitting what its epochs so far say about overfitting; null before its first epoch
 * @param extensions the id and version of each extension it uses, as recorded when it was accepted
 * @param source {@code trained} (by Sweeplab's workers) or {@code external} (logged through the MLflow protocol); the
 *     training settings (architecture, epochs, batchSize, ...) are null for an external run, and its params are the
 *     ones it logged
 * @param name an external run's name; null for a trained run
 * @param mlflowRunId an external run's MLflow run id; null for a trained run
 * @param tags an external run's tags; null for a trained run
 * @param metricKeys the names of the metrics an external run logged; null for a trained run (its metrics are the
 *     epochs of {@code /metrics})
 */
public record RunView(
        long id,
        String team,
        long experiment,
        Long sweep,
        Map<String, Object> cell,
        String status,
        String architecture,
        Map<String, Object> params,
        Integer epochs,
        int epochsDone,
        Integer batchSize,
        Double learningRate,
        Long seed,
        List<ExtensionUse> callbacks,
        List<ExtensionUse> visualizers,
        DataSpec data,
        ExtensionUse dataset,
        Boolean gpu,
        String stopReason,
        String stoppedBy,
        Integer stoppedEpoch,
        String error,
        Double testLoss,
        Double testAccuracy,
        OverfittingView overfitting,
        ModelSummary summary,
        String device,
        DatasetProvenance datasetLoaded,
        String worker,
        int attempts,
        boolean cancelRequested,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        List<ExtensionVersion> extensions,
        String source,
        String name,
        String mlflowRunId,
        Map<String, String> tags,
        List<String> metricKeys) {

    public static RunView of(Run r) {
        var s = r.spec();
        var x = r.external();
        boolean t = x == null;
        return new RunView(
                r.id(),
                r.team(),
                r.experiment(),
                r.sweep(),
                r.cell(),
                r.status().jsonName(),
                t ? s.architecture() : null,
                t ? s.params() : new java.util.TreeMap<String, Object>(x.params()),
                t ? s.epochs() : null,
                r.epochsDone(),
                t ? s.batchSize() : null,
                t ? s.learningRate() : null,
                t ? s.seed() : null,
                t ? s.callbacks() : null,
                t ? s.visualizers() : null,
                t ? s.data() : null,
                t ? s.dataset() : null,
                t ? s.requiresGpu() : null,
                r.stopReason(),
                r.stoppedBy(),
                r.stoppedEpoch(),
                r.error(),
                r.testLoss(),
                r.testAccuracy(),
                OverfittingView.of(r.overfitting()),
                r.summary(),
                r.device(),
                r.dataset(),
                r.worker(),
                r.attempts(),
                r.cancelRequested(),
                r.createdAt(),
                r.startedAt(),
                r.finishedAt(),
                t ? s.extensions() : null,
                r.source(),
                t ? null : x.name(),
                t ? null : x.mlflowRunId(),
                t ? null : x.tags(),
                t ? null : x.metricKeys());
    }
}
