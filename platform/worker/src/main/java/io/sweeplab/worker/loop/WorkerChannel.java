package io.sweeplab.worker.loop;

import io.sweeplab.core.queue.Assignment;
import io.sweeplab.core.queue.JobQueue;
import io.sweeplab.core.queue.JobRef;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.run.DatasetProvenance;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.RunStore;
import io.sweeplab.plugin.api.Artifact;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a worker needs from the platform: the job queue, plus moving checkpoint files. The embedded worker calls
 * the queue directly; a remote worker speaks HTTP. Calls about a job throw
 * {@link io.sweeplab.core.queue.LeaseLostException} once the job is no longer this worker's.
 */
public interface WorkerChannel {

    /**
     * Registers this worker; every later call acts as the worker registered.
     *
     * @return the worker as registered: the platform gives a remote worker its id
     */
    WorkerInfo register(WorkerInfo me);

    /** The platform's lease, known once registered: after this long without a heartbeat the jobs are given up. */
    java.time.Duration lease();

    /** Leases the next job this worker may run. */
    Optional<Assignment> claim();

    Map<Long, JobQueue.JobStatus> heartbeat(List<JobRef> jobs);

    void started(JobRef job, String device, ModelSummary summary, DatasetProvenance dataset);

    void epoch(JobRef job, EpochMetric metric);

    /** Hands a checkpoint the trainer wrote over to the platform. */
    void checkpoint(JobRef job, int epoch, Path file) throws IOException;

    void artifact(JobRef job, Artifact artifact);

    void finish(JobRef job, RunStore.Outcome outcome, int keepEpoch);

    void release(JobRef job);

    /**
     * Gives back a job this worker cannot run (it lacks a plugin it could not get) before training it: the job goes
     * back to the queue, and the attempt does not count towards the limit.
     */
    default void giveBack(JobRef job) {
        release(job);
    }

    /** A local file holding the checkpoint an assignment resumes from. */
    Path resumeCheckpoint(Assignment assignment, Path workDir) throws IOException;

    /** Where the trainer writes a job's checkpoints. */
    Path checkpointDir(long run, Path workDir);

    /** Whether {@link #awaitCancels} tells of cancels as they happen (a remote worker's long-poll). */
    default boolean pushesCancels() {
        return false;
    }

    /**
     * Completes with those of the runs that get cancelled, as soon as one does (or empty after a while); cancelling
     * the future abandons the wait.
     */
    default java.util.concurrent.CompletableFuture<List<Long>> awaitCancels(List<Long> runs) {
        return java.util.concurrent.CompletableFuture.completedFuture(List.of());
    }
}
