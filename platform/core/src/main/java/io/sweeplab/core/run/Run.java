package io.sweeplab.core.run;

import java.time.Instant;

/**
 * A run as stored: its spec, where it is, and what it produced so far.
 *
 * @param stoppedBy the callback that stopped it, when {@code status} is {@link RunStatus#STOPPED}
 * @param stoppedEpoch the epoch after which it stopped
 * @param epochsDone epochs finished so far
 * @param device where it trained, for example {@code cpu: AMD EPYC 7B13 (2 threads)}
 * @param overfitting what its epochs so far say about overfitting, as {@link Overfitting#of} reads them; null before
 *     its first epoch
 * @param cell for a run of a sweep, the grid values it takes; null otherwise
 * @param worker the worker that holds or last held it
 * @param attempts how many times a worker claimed it (more than 1 after a worker died or shut down)
 * @param dataset the dataset its worker loaded (id, version, checksum); null before it started
 * @param external for a run logged from outside (MLflow), its id, name, params, tags and metric names; null for a run
 *     Sweeplab trains. Such a run has no job: no worker ever claims it, and its spec is {@link RunSpec#external}
 */
public record Run(
        long id,
        String team,
        long experiment,
        Long sweep,
        java.util.Map<String, Object> cell,
        RunSpec spec,
        RunStatus status,
        String stopReason,
        String stoppedBy,
        Integer stoppedEpoch,
        String error,
        int epochsDone,
        Double testLoss,
        Double testAccuracy,
        Overfitting overfitting,
        ModelSummary summary,
        String device,
        String worker,
        int attempts,
        boolean cancelRequested,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        DatasetProvenance dataset,
        ExternalDetails external) {

    /** A run Sweeplab trains. */
    public Run(
            long id,
            String team,
            long experiment,
            Long sweep,
            java.util.Map<String, Object> cell,
            RunSpec spec,
            RunStatus status,
            String stopReason,
            String stoppedBy,
            Integer stoppedEpoch,
            String error,
            int epochsDone,
            Double testLoss,
            Double testAccuracy,
            Overfitting overfitting,
            ModelSummary summary,
            String device,
            String worker,
            int attempts,
            boolean cancelRequested,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt,
            DatasetProvenance dataset) {
        this(
                id,
                team,
                experiment,
                sweep,
                cell,
                spec,
                status,
                stopReason,
                stoppedBy,
                stoppedEpoch,
                error,
                epochsDone,
                testLoss,
                testAccuracy,
                overfitting,
                summary,
                device,
                worker,
                attempts,
                cancelRequested,
                createdAt,
                startedAt,
                finishedAt,
                dataset,
                null);
    }

    /** {@code trained} (by Sweeplab's workers) or {@code external} (logged from outside). */
    public String source() {
        return external == null ? "trained" : "external";
    }
}
