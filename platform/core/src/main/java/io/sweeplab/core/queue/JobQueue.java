package io.sweeplab.core.queue;

import io.sweeplab.core.run.DatasetProvenance;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.RunStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable job queue workers train from, local or remote. Claims use {@code FOR UPDATE SKIP LOCKED}; a lease
 * is renewed by heartbeats and, once expired, returns the job to the queue with its attempts counted. Every write
 * about a job is fenced by the worker that claimed it and its {@link JobRef}: a job that is not (or no longer)
 * leased to that worker under that attempt throws {@link LeaseLostException}, whether the run exists or not.
 */
public interface JobQueue {

    /** How long a lease lasts without a heartbeat. */
    Duration lease();

    /**
     * Leases the oldest queued job this worker may run: none while it is paused, GPU jobs only to CUDA workers, and
     * only runs of its team when its credential is a team's.
     */
    Optional<Assignment> claim(String worker);

    /** What a heartbeat learns about one held job. */
    record JobStatus(boolean leased, boolean cancelRequested) {}

    /** Renews the worker's and its jobs' leases; answers, per run, whether it still holds it and must stop. */
    Map<Long, JobStatus> heartbeat(String worker, List<JobRef> jobs);

    /** A job as its worker holds it. */
    record Lease(JobRef job, int epochs) {}

    /**
     * The job when this worker holds it under this attempt.
     *
     * @throws LeaseLostException otherwise
     */
    Lease held(String worker, JobRef job);

    /** The runs this worker holds now. */
    List<Long> leasedRuns(String worker);

    /** Those of these runs, held by this worker, whose cancel was requested. */
    List<Long> cancelRequested(String worker, List<Long> runs);

    /**
     * Records where the run trains, its network and the dataset it loaded.
     *
     * @param dataset null from a worker that predates dataset plugins
     */
    void started(String worker, JobRef job, String device, ModelSummary summary, DatasetProvenance dataset);

    /**
     * Idempotent per (run, epoch): a resumed run can never store an epoch twice.
     *
     * @throws io.sweeplab.core.error.InvalidInputException for an epoch outside 1..the run's epochs
     */
    void epoch(String worker, JobRef job, EpochMetric metric);

    /** @throws io.sweeplab.core.error.InvalidInputException for an epoch outside 1..the run's epochs */
    void checkpoint(String worker, JobRef job, int epoch, String path);

    void artifact(String worker, JobRef job, String name, String kind, byte[] json);

    /**
     * Ends the job; returns the paths of checkpoints other than {@code keepEpoch}'s, now forgotten. Finishing the same
     * attempt again (a retry after a lost reply) changes nothing and returns no paths.
     */
    List<String> finish(String worker, JobRef job, RunStore.Outcome outcome, int keepEpoch);

    /**
     * Gives a job back to the queue at once, as when its worker shuts down mid-run.
     *
     * @throws LeaseLostException when the worker does not hold it (any more)
     */
    void release(String worker, JobRef job);

    /**
     * Gives back a job its worker could not start (it lacks a plugin and could not get it): back to the queue at
     * once, and not counted among the attempts that {@link #reapExpired} gives up after.
     *
     * @throws LeaseLostException when the worker does not hold it (any more)
     */
    default void giveBack(String worker, JobRef job) {
        release(worker, job);
    }

    /** Gives back every job a worker holds, as when it restarts after a crash; returns how many. */
    int releaseAll(String worker);

    /**
     * Requeues jobs whose lease expired, or fails them after the last attempt; returns the affected runs. Several
     * platform instances may call it at once: one reaps, the others return at once with nothing.
     */
    List<Long> reapExpired(int maxAttempts);
}
