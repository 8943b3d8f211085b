package io.sweeplab.app.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweeplab.app.db.CheckpointFiles;
import io.sweeplab.core.queue.Assignment;
import io.sweeplab.core.queue.JobQueue;
import io.sweeplab.core.queue.JobRef;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.RunStore;
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.worker.loop.ArtifactJson;
import io.sweeplab.worker.loop.WorkerChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The embedded worker's channel: the queue itself, and checkpoints written straight into the platform's folder. */
final class InProcessChannel implements WorkerChannel {

    private final JobQueue queue;
    private final ObjectMapper json;
    private final Path checkpoints;

    InProcessChannel(JobQueue queue, ObjectMapper json, Path checkpoints) {
        this.queue = queue;
        this.json = json;
        this.checkpoints = checkpoints;
    }

    @Override
    public void register(WorkerInfo me) {
        queue.register(me);
    }

    @Override
    public Optional<Assignment> claim(String worker, boolean gpu) {
        return queue.claim(worker, gpu);
    }

    @Override
    public Map<Long, JobQueue.JobStatus> heartbeat(String worker, List<JobRef> jobs) {
        return queue.heartbeat(worker, jobs);
    }

    @Override
    public void started(JobRef job, String device, ModelSummary summary) {
        queue.started(job, device, summary);
    }

    @Override
    public void epoch(JobRef job, EpochMetric metric) {
        queue.epoch(job, metric);
    }

    @Override
    public void checkpoint(JobRef job, int epoch, Path file) {
        queue.checkpoint(job, epoch, file.toAbsolutePath().toString());
    }

    @Override
    public void artifact(JobRef job, Artifact artifact) {
        queue.artifact(job, artifact.name(), ArtifactJson.kind(artifact), ArtifactJson.write(json, artifact));
    }

    @Override
    public void finish(JobRef job, RunStore.Outcome outcome, int keepEpoch) {
        CheckpointFiles.delete(queue.finish(job, outcome, keepEpoch));
    }

    @Override
    public void release(JobRef job) {
        queue.release(job);
    }

    @Override
    public Path resumeCheckpoint(Assignment assignment, Path workDir) {
        return Path.of(assignment.checkpoint());
    }

    @Override
    public Path checkpointDir(long run, Path workDir) {
        return CheckpointFiles.dir(checkpoints, run);
    }
}
