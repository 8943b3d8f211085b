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
        int epochs,
        int epochsDone,
        int batchSize,
        double learningRate,
        long seed,
        List<ExtensionUse> callbacks,
        List<ExtensionUse> visualizers,
        DataSpec data,
        ExtensionUse dataset,
        boolean gpu,
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
        List<ExtensionVersion> extensions) {

    public static RunView of(Run r) {
        var s = r.spec();
        return new RunView(
                r.id(),
                r.team(),
                r.experiment(),
                r.sweep(),
                r.cell(),
                r.status().jsonName(),
                s.architecture(),
                s.params(),
                s.epochs(),
                r.epochsDone(),
                s.batchSize(),
                s.learningRate(),
                s.seed(),
                s.callbacks(),
                s.visualizers(),
                s.data(),
                s.dataset(),
                s.requiresGpu(),
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
                s.extensions());
    }
}
