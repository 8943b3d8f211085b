package io.sweeplab.core.queue;

import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.RunStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable job queue workers train from, local or remote. Claims use {@code FOR UPDATE SKIP LOCKED}; a lease
 * is renewed by heartbeats and, once expired, returns the job to the queue with its attempts counted. Every write
 * about a job is fenced by its {@link JobRef}: a stale one throws {@link LeaseLostException}.
 */
public interface JobQueue {

    void register(WorkerInfo worker);

    List<WorkerInfo> workers();

    /** Leases the oldest queued job this worker can run (GPU jobs only to GPU workers). */
    Optional<Assignment> claim(String worker, boolean gpu);

    /** What a heartbeat learns about one held job. */
    record JobStatus(boolean leased, boolean cancelRequested) {}

    /** Renews the worker's and its jobs' leases; answers, per run, whether it still holds it and must stop. */
    Map<Long, JobStatus> heartbeat(String worker, List<JobRef> jobs);

    void started(JobRef job, String device, ModelSummary summary);

    /** Idempotent per (run, epoch): a resumed run can never store an epoch twice. */
    void epoch(JobRef job, EpochMetric metric);

    void checkpoint(JobRef job, int epoch, String path);

    void artifact(JobRef job, String name, String kind, byte[] json);

    /** Ends the job; returns the paths of checkpoints other than {@code keepEpoch}'s, now forgotten. */
    List<String> finish(JobRef job, RunStore.Outcome outcome, int keepEpoch);

    /** Gives a job back to the queue at once, as when its worker shuts down mid-run. */
    void release(JobRef job);

    /** Gives back every job a worker holds, as when it restarts after a crash; returns how many. */
    int releaseAll(String worker);

    /** Requeues jobs whose lease expired, or fails them after the last attempt; returns the affected runs. */
    List<Long> reapExpired(int maxAttempts);
}
