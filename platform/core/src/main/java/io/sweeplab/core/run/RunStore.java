package io.sweeplab.core.run;

import java.util.List;
import java.util.Optional;

/** Persistence of runs, their per-epoch metrics, checkpoints and artifacts. */
public interface RunStore {

    /**
     * Stores a validated run as {@link RunStatus#QUEUED}.
     *
     * @throws io.sweeplab.core.error.NotFoundException if the experiment does not exist
     */
    Run create(RunSpec spec, Long sweep);

    Optional<Run> find(long id);

    /** Runs of one experiment (or all when null), newest first. */
    List<Run> list(Long experiment);

    List<EpochMetric> metrics(long run);

    /**
     * Cancels a queued run at once, or asks a running one to stop at its next iteration.
     *
     * @return the run after the request; empty if it does not exist
     */
    Optional<Run> requestCancel(long id);

    // What workers report.

    /** Takes the oldest queued run for a worker, marking it running; empty when none waits. */
    Optional<Run> claimNext(String worker);

    void started(long run, String device, ModelSummary summary);

    /** Records an epoch's metrics; recording the same epoch again replaces it (a resumed run repeats none). */
    void epoch(long run, EpochMetric metric);

    void checkpoint(long run, int epoch, String path);

    /** Forgets every checkpoint of a run but the given epoch's, returning the paths of the others. */
    List<String> keepOnlyCheckpoint(long run, int epoch);

    /** The newest checkpoint of a run: its epoch and file. */
    Optional<Checkpoint> lastCheckpoint(long run);

    void artifact(long run, String name, String kind, byte[] json);

    Optional<byte[]> artifact(long run, String name);

    /** The names and kinds of a run's artifacts. */
    List<ArtifactInfo> artifacts(long run);

    boolean cancelRequested(long run);

    void finish(long run, Outcome outcome);

    /** Puts runs left running by a process that died back in the queue; returns how many. */
    int requeueRunning();

    record Checkpoint(int epoch, String path) {}

    record ArtifactInfo(String name, String kind, long bytes) {}

    /** How a run ended. */
    record Outcome(
            RunStatus status,
            String stopReason,
            String stoppedBy,
            Integer stoppedEpoch,
            String error,
            Double testLoss,
            Double testAccuracy) {

        public static Outcome failed(String error) {
            return new Outcome(RunStatus.FAILED, null, null, null, error, null, null);
        }
    }
}
