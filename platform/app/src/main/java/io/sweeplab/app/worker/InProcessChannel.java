package io.sweeplab.app.worker;

import io.sweeplab.app.db.CheckpointFiles;
import io.sweeplab.artifacts.ArtifactCodec;
import io.sweeplab.core.queue.Assignment;
import io.sweeplab.core.queue.JobQueue;
import io.sweeplab.core.queue.JobRef;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.queue.WorkerRegistry;
import io.sweeplab.core.run.DatasetProvenance;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.RunStore;
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.worker.loop.WorkerChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The embedded worker's channel: the queue itself, as the one worker id the embedded worker registered, and
 * checkpoints written straight into the platform's folder.
 */
final class InProcessChannel implements WorkerChannel {

    private static final Logger LOG = Logger.getLogger(InProcessChannel.class);

    private final JobQueue queue;
    private final WorkerRegistry registry;
    private final Path checkpoints;
    private volatile String me;

    InProcessChannel(JobQueue queue, WorkerRegistry registry, Path checkpoints) {
        this.queue = queue;
        this.registry = registry;
        this.checkpoints = checkpoints;
    }

    /** Registers under the embedded worker's stable id and takes back what a crashed predecessor held. */
    @Override
    public WorkerInfo register(WorkerInfo worker) {
        registry.registerEmbedded(worker);
        me = worker.id();
        int released = queue.releaseAll(me);
        if (released > 0) {
            LOG.infof("SWL-WORKER-002 %d runs interrupted by the last shutdown are back in the queue", released);
        }
        return worker;
    }

    @Override
    public Duration lease() {
        return queue.lease();
    }

    @Override
    public Optional<Assignment> claim() {
        return queue.claim(me);
    }

    @Override
    public Map<Long, JobQueue.JobStatus> heartbeat(List<JobRef> jobs) {
        return queue.heartbeat(me, jobs);
    }

    @Override
    public void started(JobRef job, String device, ModelSummary summary, DatasetProvenance dataset) {
        queue.started(me, job, device, summary, dataset);
    }

    @Override
    public void epoch(JobRef job, EpochMetric metric) {
        queue.epoch(me, job, metric);
    }

    @Override
    public void checkpoint(JobRef job, int epoch, Path file) {
        queue.checkpoint(me, job, epoch, file.toAbsolutePath().toString());
    }

    @Override
    public void artifact(JobRef job, Artifact artifact) {
        queue.artifact(me, job, artifact.name(), ArtifactCodec.kind(artifact), ArtifactCodec.encode(artifact));
    }

    @Override
    public void finish(JobRef job, RunStore.Outcome outcome, int keepEpoch) {
        CheckpointFiles.delete(queue.finish(me, job, outcome, keepEpoch));
    }

    @Override
    public void release(JobRef job) {
        queue.release(me, job);
    }

    @Override
    public void giveBack(JobRef job) {
        queue.giveBack(me, job);
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
