package io.sweeplab.app.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweeplab.app.db.Jdbc;
import io.sweeplab.app.metrics.PlatformMetrics;
import io.sweeplab.app.run.JdbcRunStore;
import io.sweeplab.artifacts.ArtifactCodec;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.PayloadTooLargeException;
import io.sweeplab.core.queue.Assignment;
import io.sweeplab.core.queue.JobQueue;
import io.sweeplab.core.queue.JobRef;
import io.sweeplab.core.queue.LeaseLostException;
import io.sweeplab.core.run.DatasetProvenance;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The job queue in PostgreSQL; all lease arithmetic uses the database's clock, the one every worker shares. */
@ApplicationScoped
public class JdbcJobQueue implements JobQueue {

    /** The advisory lock the reaper holds while it reaps (any constant; 'SWLREAP' in ASCII). */
    public static final long REAPER_LOCK = 0x53574c52454150L;

    /** The fencing condition: the job is still leased to this worker under this attempt. */
    private static final String HELD =
            "EXISTS (SELECT 1 FROM jobs WHERE run_id = ? AND state = 'leased'" + " AND attempts = ? AND worker_id = ?)";

    private final Jdbc jdbc;
    private final JdbcRunStore runs;
    private final ObjectMapper json;
    private final double leaseSeconds;
    private final int maxArtifacts;
    private final long maxArtifactBytes;
    private final jakarta.enterprise.event.Event<RunProgress> progress;
    private final PlatformMetrics metrics;

    public JdbcJobQueue(
            Jdbc jdbc,
            JdbcRunStore runs,
            ObjectMapper json,
            jakarta.enterprise.event.Event<RunProgress> progress,
            PlatformMetrics metrics,
            @ConfigProperty(name = "sweeplab.queue.lease", defaultValue = "30s") Duration lease,
            @ConfigProperty(name = "sweeplab.worker.max-artifacts", defaultValue = "64") int maxArtifacts,
            @ConfigProperty(name = "sweeplab.worker.max-artifact-mb", defaultValue = "8") long maxArtifactMb) {
        this.maxArtifactBytes = maxArtifactMb << 20;
        this.progress = progress;
        this.metrics = metrics;
        this.jdbc = jdbc;
        this.runs = runs;
        this.json = json;
        this.leaseSeconds = lease.toMillis() / 1000.0;
        this.maxArtifacts = maxArtifacts;
    }

    @Override
    public Duration lease() {
        return Duration.ofMillis((long) (leaseSeconds * 1000));
    }

    @Override
    @Transactional
    public Optional<Assignment> claim(String worker) {
        // what the worker may run comes from its registration (backend, team), never from the request; paused: nothing
        Optional<JobRef> ref = jdbc.one(
                "WITH me AS (SELECT backend = 'cuda' AS gpu, team_id FROM workers WHERE id = ? AND NOT paused),"
                        + " next AS (SELECT j.run_id FROM jobs j, me WHERE j.state = 'queued'"
                        + " AND (NOT j.requires_gpu OR me.gpu)"
                        + " AND (me.team_id IS NULL OR j.run_id IN (SELECT id FROM runs WHERE team_id = me.team_id))"
                        // a CUDA worker takes the jobs only it can run first
                        + " ORDER BY j.requires_gpu DESC, j.run_id FOR UPDATE OF j SKIP LOCKED LIMIT 1)"
                        + " UPDATE jobs j SET state = 'leased', worker_id = ?, attempts = j.attempts + 1,"
                        + " lease_expires_at = now() + make_interval(secs => ?), updated_at = now()"
                        + " FROM next WHERE j.run_id = next.run_id RETURNING j.run_id, j.attempts",
                rs -> new JobRef(rs.getLong(1), rs.getInt(2)),
                worker,
                worker,
                leaseSeconds);
        if (ref.isEmpty()) {
            return Optional.empty();
        }
        long id = ref.get().run();
        if (ref.get().attempt() == 1) {
            metrics.runStarted();
        }
        jdbc.update(
                "UPDATE runs SET status = 'running', started_at = coalesce(started_at, now()), worker = ?,"
                        + " cancel_requested = false WHERE id = ?",
                worker,
                id);
        Run run = runs.find(id).orElseThrow();
        Optional<RunStore.Checkpoint> cp = jdbc.one(
                "SELECT epoch, path FROM run_checkpoints WHERE run_id = ? ORDER BY epoch DESC LIMIT 1",
                rs -> new RunStore.Checkpoint(rs.getInt(1), rs.getString(2)),
                id);
        int epoch = cp.map(RunStore.Checkpoint::epoch).orElse(0);
        List<EpochMetric> done =
                runs.metrics(id).stream().filter(m -> m.epoch() <= epoch).toList();
        return Optional.of(new Assignment(
                ref.get(), run.spec(), epoch, cp.map(RunStore.Checkpoint::path).orElse(null), done));
    }

    @Override
    public Map<Long, JobStatus> heartbeat(String worker, List<JobRef> jobs) {
        jdbc.update("UPDATE workers SET last_heartbeat = now() WHERE id = ?", worker);
        Map<Long, JobStatus> out = new LinkedHashMap<>();
        for (JobRef job : jobs) {
            Optional<Boolean> cancel = jdbc.one(
                    "UPDATE jobs SET lease_expires_at = now() + make_interval(secs => ?),"
                            + " updated_at = now() WHERE run_id = ? AND state = 'leased' AND attempts = ?"
                            + " AND worker_id = ? RETURNING (SELECT cancel_requested FROM runs WHERE id = ?)",
                    rs -> rs.getBoolean(1),
                    leaseSeconds,
                    job.run(),
                    job.attempt(),
                    worker,
                    job.run());
            out.put(job.run(), new JobStatus(cancel.isPresent(), cancel.orElse(true)));
        }
        return out;
    }

    @Override
    public List<Long> leasedRuns(String worker) {
        return jdbc.query(
                "SELECT run_id FROM jobs WHERE worker_id = ? AND state = 'leased' ORDER BY run_id",
                rs -> rs.getLong(1),
                worker);
    }

    @Override
    public List<Long> cancelRequested(String worker, List<Long> runs) {
        if (runs.isEmpty()) {
            return List.of();
        }
        return jdbc.query(
                "SELECT r.id FROM runs r JOIN jobs j ON j.run_id = r.id WHERE r.id = ANY (?)"
                        + " AND j.state = 'leased' AND j.worker_id = ? AND (r.cancel_requested OR r.status = 'cancelled')",
                rs -> rs.getLong(1),
                runs.toArray(Long[]::new),
                worker);
    }

    @Override
    public Lease held(String worker, JobRef job) {
        return jdbc.one(
                        "SELECT (r.spec->>'epochs')::int FROM jobs j JOIN runs r ON r.id = j.run_id"
                                + " WHERE j.run_id = ? AND j.state = 'leased' AND j.attempts = ? AND j.worker_id = ?",
                        rs -> new Lease(job, rs.getInt(1)),
                        job.run(),
                        job.attempt(),
                        worker)
                .orElseThrow(() -> new LeaseLostException(job));
    }

    private void requireEpoch(String worker, JobRef job, int epoch) {
        int epochs = held(worker, job).epochs();
        if (epoch < 1 || epoch > epochs) {
            throw new InvalidInputException("epoch", "must be 1.." + epochs + " (the run's epochs), not " + epoch);
        }
    }

    @Override
    public void started(String worker, JobRef job, String device, ModelSummary summary, DatasetProvenance dataset) {
        fenced(
                jdbc.update(
                        "UPDATE runs SET device = ?, summary = ?, dataset = ? WHERE id = ? AND " + HELD,
                        device,
                        new Jdbc.Json(write(summary)),
                        new Jdbc.Json(dataset == null ? null : write(dataset)),
                        job.run(),
                        job.run(),
                        job.attempt(),
                        worker),
                job);
    }

    @Override
    @Transactional
    public void epoch(String worker, JobRef job, EpochMetric m) {
        requireEpoch(worker, job, m.epoch());
        fenced(
                jdbc.update(
                        "INSERT INTO run_metrics (run_id, epoch, train_loss, train_accuracy, val_loss,"
                                + " val_accuracy, seconds, images_per_second) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE "
                                + HELD
                                + " ON CONFLICT (run_id, epoch) DO UPDATE SET train_loss = EXCLUDED.train_loss,"
                                + " train_accuracy = EXCLUDED.train_accuracy, val_loss = EXCLUDED.val_loss,"
                                + " val_accuracy = EXCLUDED.val_accuracy, seconds = EXCLUDED.seconds,"
                                + " images_per_second = EXCLUDED.images_per_second, recorded_at = now()",
                        job.run(),
                        m.epoch(),
                        m.trainLoss(),
                        m.trainAccuracy(),
                        m.valLoss(),
                        m.valAccuracy(),
                        m.seconds(),
                        m.imagesPerSecond(),
                        job.run(),
                        job.attempt(),
                        worker),
                job);
        // this update holds the run's row until the commit: a concurrent epoch's overfitting waits and then sees ours
        jdbc.update("UPDATE runs SET epochs_done = greatest(epochs_done, ?) WHERE id = ?", m.epoch(), job.run());
        runs.storeOverfitting(job.run());
        metrics.epoch(m.seconds());
        progress.fire(new RunProgress(job.run(), m.epoch(), false));
    }

    @Override
    public void checkpoint(String worker, JobRef job, int epoch, String path) {
        requireEpoch(worker, job, epoch);
        fenced(
                jdbc.update(
                        "INSERT INTO run_checkpoints (run_id, epoch, path) SELECT ?, ?, ? WHERE " + HELD
                                + " ON CONFLICT (run_id, epoch) DO UPDATE SET path = EXCLUDED.path, created_at = now()",
                        job.run(),
                        epoch,
                        path,
                        job.run(),
                        job.attempt(),
                        worker),
                job);
    }

    @Override
    public void artifact(String worker, JobRef job, String name, String kind, byte[] content) {
        held(worker, job);
        // the same checks for every worker, the embedded one included: the dashboard draws what is stored
        if (content.length > maxArtifactBytes) {
            throw new PayloadTooLargeException(
                    "body",
                    "an artifact may be at most " + (maxArtifactBytes >> 20) + " MB (sweeplab.worker.max-artifact-mb)");
        }
        ArtifactCodec.Decoded artifact;
        try {
            artifact = ArtifactCodec.decode(content);
        } catch (ArtifactCodec.MalformedArtifactException e) {
            throw new InvalidInputException("body", e.getMessage());
        }
        if (!artifact.name().equals(name)) {
            throw new InvalidInputException(
                    "name", "is '" + name + "' but the artifact says '" + artifact.name() + "'");
        }
        if (kind != null && !artifact.kind().equals(kind)) {
            throw new InvalidInputException(
                    "kind", "is '" + kind + "' but the artifact says '" + artifact.kind() + "'");
        }
        kind = artifact.kind();
        boolean room = jdbc.one(
                        "SELECT count(*) < ? OR bool_or(name = ?) FROM run_artifacts WHERE run_id = ?",
                        rs -> rs.getBoolean(1),
                        maxArtifacts,
                        name,
                        job.run())
                .orElse(true);
        if (!room) {
            throw new PayloadTooLargeException(
                    "name", "a run keeps at most " + maxArtifacts + " artifacts (sweeplab.worker.max-artifacts)");
        }
        fenced(
                jdbc.update(
                        "INSERT INTO run_artifacts (run_id, name, kind, content) SELECT ?, ?, ?, ? WHERE " + HELD
                                + " ON CONFLICT (run_id, name) DO UPDATE SET kind = EXCLUDED.kind,"
                                + " content = EXCLUDED.content, created_at = now()",
                        job.run(),
                        name,
                        kind,
                        content,
                        job.run(),
                        job.attempt(),
                        worker),
                job);
    }

    @Override
    @Transactional
    public List<String> finish(String worker, JobRef job, RunStore.Outcome o, int keepEpoch) {
        int rows = jdbc.update(
                "UPDATE jobs SET state = 'done', lease_expires_at = NULL, updated_at = now()"
                        + " WHERE run_id = ? AND state = 'leased' AND attempts = ? AND worker_id = ?",
                job.run(),
                job.attempt(),
                worker);
        if (rows == 0) {
            // a retry of a finish whose reply was lost: this very attempt already ended the job so
            boolean again = jdbc.one(
                            "SELECT 1 FROM jobs j JOIN runs r ON r.id = j.run_id WHERE j.run_id = ?"
                                    + " AND j.state = 'done' AND j.attempts = ? AND j.worker_id = ? AND (r.status = ?"
                                    + " OR (? = 'cancelled' AND r.status = 'stopped' AND r.stop_requested_by IS NOT NULL))",
                            rs -> 1,
                            job.run(),
                            job.attempt(),
                            worker,
                            o.status().jsonName(),
                            o.status().jsonName())
                    .isPresent();
            if (again) {
                return List.of();
            }
            throw new LeaseLostException(job);
        }
        // a run its scheduler asked to stop was stopped like a cancelled one, and ends as stopped by the scheduler
        boolean cancelled = o.status() == io.sweeplab.core.run.RunStatus.CANCELLED;
        String status = jdbc.one(
                        "UPDATE runs SET status = CASE WHEN ? AND stop_requested_by IS NOT NULL THEN 'stopped' ELSE ? END,"
                                + " stop_reason = CASE WHEN ? AND stop_requested_by IS NOT NULL THEN stop_requested_reason"
                                + " ELSE ? END, stopped_by = CASE WHEN ? THEN stop_requested_by ELSE ? END,"
                                + " stopped_epoch = ?, error = ?, test_loss = ?, test_accuracy = ?, finished_at = now()"
                                + " WHERE id = ? RETURNING status",
                        rs -> rs.getString(1),
                        cancelled,
                        o.status().jsonName(),
                        cancelled,
                        o.stopReason(),
                        cancelled,
                        o.stoppedBy(),
                        o.stoppedEpoch(),
                        o.error(),
                        o.testLoss(),
                        o.testAccuracy(),
                        job.run())
                .orElseThrow();
        metrics.runFinished(status);
        progress.fire(new RunProgress(job.run(), 0, true));
        return jdbc.query(
                "DELETE FROM run_checkpoints WHERE run_id = ? AND epoch <> ? RETURNING path",
                rs -> rs.getString(1),
                job.run(),
                keepEpoch);
    }

    @Override
    @Transactional
    public void release(String worker, JobRef job) {
        fenced(
                jdbc.update(
                        "UPDATE jobs SET state = 'queued', lease_expires_at = NULL, worker_id = NULL,"
                                + " updated_at = now() WHERE run_id = ? AND state = 'leased' AND attempts = ?"
                                + " AND worker_id = ?",
                        job.run(),
                        job.attempt(),
                        worker),
                job);
        jdbc.update("UPDATE runs SET status = 'queued', worker = NULL WHERE id = ?", job.run());
    }

    @Override
    @Transactional
    public void giveBack(String worker, JobRef job) {
        fenced(
                jdbc.update(
                        "UPDATE jobs SET state = 'queued', lease_expires_at = NULL, worker_id = NULL,"
                                + " given_back = given_back + 1, updated_at = now()"
                                + " WHERE run_id = ? AND state = 'leased' AND attempts = ? AND worker_id = ?",
                        job.run(),
                        job.attempt(),
                        worker),
                job);
        jdbc.update("UPDATE runs SET status = 'queued', worker = NULL WHERE id = ?", job.run());
    }

    @Override
    @Transactional
    public int releaseAll(String worker) {
        List<Long> ids = jdbc.query(
                "UPDATE jobs SET state = 'queued', lease_expires_at = NULL, worker_id = NULL,"
                        + " updated_at = now() WHERE worker_id = ? AND state = 'leased' RETURNING run_id",
                rs -> rs.getLong(1),
                worker);
        requeueRuns(ids);
        return ids.size();
    }

    @Override
    @Transactional
    public List<Long> reapExpired(int maxAttempts) {
        // one instance reaps at a time; the lock ends with the transaction, or with a killed instance's connection
        boolean mine = jdbc.one("SELECT pg_try_advisory_xact_lock(?)", rs -> rs.getBoolean(1), REAPER_LOCK)
                .orElse(false);
        if (!mine) {
            return List.of();
        }
        // a run cancelled while its worker was gone stays cancelled: it is not trained again
        List<Long> cancelled = jdbc.query(
                "UPDATE jobs SET state = 'done', lease_expires_at = NULL, updated_at = now()"
                        + " WHERE state = 'leased' AND lease_expires_at < now()"
                        + " AND run_id IN (SELECT id FROM runs WHERE cancel_requested) RETURNING run_id",
                rs -> rs.getLong(1));
        for (long id : cancelled) {
            jdbc.one(
                            "UPDATE runs SET status = CASE WHEN stop_requested_by IS NULL THEN 'cancelled'"
                                    + " ELSE 'stopped' END, stopped_by = stop_requested_by,"
                                    + " stop_reason = coalesce(stop_requested_reason,"
                                    + " 'cancelled; its worker stopped answering'), finished_at = now() WHERE id = ?"
                                    + " RETURNING status",
                            rs -> rs.getString(1),
                            id)
                    .ifPresent(metrics::runFinished);
        }
        List<Long> requeued = jdbc.query(
                "UPDATE jobs SET state = 'queued', lease_expires_at = NULL, worker_id = NULL,"
                        + " updated_at = now() WHERE state = 'leased' AND lease_expires_at < now()"
                        + " AND attempts - given_back < ?"
                        + " RETURNING run_id",
                rs -> rs.getLong(1),
                maxAttempts);
        requeueRuns(requeued);
        List<Long> failed = jdbc.query(
                "UPDATE jobs SET state = 'done', lease_expires_at = NULL, updated_at = now()"
                        + " WHERE state = 'leased' AND lease_expires_at < now() AND attempts - given_back >= ?"
                        + " RETURNING run_id",
                rs -> rs.getLong(1),
                maxAttempts);
        for (long id : failed) {
            jdbc.update(
                    "UPDATE runs SET status = 'failed', error = ?, finished_at = now() WHERE id = ?",
                    "SWL-QUEUE-004 gave up after " + maxAttempts + " attempts: each time the worker's lease expired"
                            + " (the worker died or lost the platform)",
                    id);
            metrics.runFinished("failed");
        }
        List<Long> all = new ArrayList<>(cancelled);
        all.addAll(requeued);
        all.addAll(failed);
        return all;
    }

    private void requeueRuns(List<Long> ids) {
        for (long id : ids) {
            jdbc.update("UPDATE runs SET status = 'queued', worker = NULL WHERE id = ? AND status = 'running'", id);
        }
    }

    private static void fenced(int rows, JobRef job) {
        if (rows == 0) {
            throw new LeaseLostException(job);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "SWL-DB-130 cannot write " + value.getClass().getSimpleName(), e);
        }
    }
}
