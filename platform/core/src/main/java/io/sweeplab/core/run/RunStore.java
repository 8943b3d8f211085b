package io.sweeplab.core.run;

import java.util.List;
import java.util.Optional;

/** Persistence of runs as clients see them; what workers write goes through {@link io.sweeplab.core.queue.JobQueue}. */
public interface RunStore {

    /**
     * Stores a validated run as {@link RunStatus#QUEUED}.
     *
     * @throws io.sweeplab.core.error.NotFoundException if the experiment does not exist
     */
    Run create(RunSpec spec, Long sweep);

    Optional<Run> find(long id);

    /** Runs of one experiment (or all when null) in the given teams (all when null), newest first. */
    List<Run> list(Long experiment, java.util.Set<String> teams);

    /** How many runs of the team are queued (not yet claimed by a worker). */
    int queued(String team);

    /** Deletes a run and everything it produced; @return whether it existed */
    boolean delete(long id);

    List<EpochMetric> metrics(long run);

    /** The metrics of every run of a sweep, by run id, in one read (for comparisons over many runs). */
    java.util.Map<Long, List<EpochMetric>> sweepMetrics(long sweep);

    /**
     * Cancels a queued run at once, or asks a running one to stop at its next iteration.
     *
     * @return the run after the request; empty if it does not exist
     */
    Optional<Run> requestCancel(long id);

    Optional<byte[]> artifact(long run, String name);

    /** The names and kinds of a run's artifacts. */
    List<ArtifactInfo> artifacts(long run);

    /** The names and kinds of the artifacts of every run of a sweep, by run id, in one read. */
    java.util.Map<Long, List<ArtifactInfo>> sweepArtifacts(long sweep);

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
