package io.sweeplab.app.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweeplab.app.db.Jdbc;
import io.sweeplab.app.run.JdbcRunStore;
import io.sweeplab.core.queue.Assignment;
import io.sweeplab.core.queue.JobQueue;
import io.sweeplab.core.queue.JobRef;
import io.sweeplab.core.queue.LeaseLostException;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The job queue in PostgreSQL; all lease arithmetic uses the database's clock, the one every worker shares. */
@ApplicationScoped
public class JdbcJobQueue implements JobQueue {

    /** The fencing condition: the job is still leased under this attempt. */
    private static final String HELD =
            "EXISTS (SELECT 1 FROM jobs WHERE run_id = ? AND state = 'leased' AND attempts = ?)";

    private final Jdbc jdbc;
    private final JdbcRunStore runs;
    private final ObjectMapper json;
    private final double leaseSeconds;

    public JdbcJobQueue(
            Jdbc jdbc,
            JdbcRunStore runs,
            ObjectMapper json,
            @ConfigProperty(name = "sweeplab.queue.lease", defaultValue = "30s") Duration lease) {
        this.jdbc = jdbc;
        this.runs = runs;
        this.json = json;
        this.leaseSeconds = lease.toMillis() / 1000.0;
    }

    public Duration lease() {
        return Duration.ofMillis((long) (leaseSeconds * 1000));
    }

    @Override
    public void register(WorkerInfo w) {
        jdbc.update(
                "INSERT INTO workers (id, name, kind, backend, device, cpu_threads, gpu_name, gpu_memory_mb, slots)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,"
                        + " kind = EXCLUDED.kind, backend = EXCLUDED.backend, device = EXCLUDED.device,"
                        + " cpu_threads = EXCLUDED.cpu_threads, gpu_name = EXCLUDED.gpu_name,"
                        + " gpu_memory_mb = EXCLUDED.gpu_memory_mb, slots = EXCLUDED.slots, last_heartbeat = now()",
                w.id(),
                w.name(),
                w.kind(),
                w.backend(),
                w.device(),
                w.cpuThreads(),
                w.gpuName(),
                w.gpuMemoryMb(),
                w.slots());
    }

    @Override
    public List<WorkerInfo> workers() {
        return jdbc.query(
                "SELECT w.*, now() - w.last_heartbeat < make_interval(secs => ?) AS online,"
                        + " ARRAY(SELECT run_id FROM jobs j WHERE j.worker_id = w.id AND j.state = 'leased'"
                        + " ORDER BY run_id) AS jobs FROM workers w ORDER BY w.registered_at",
                rs -> {
                    Array a = rs.getArray("jobs");
                    List<Long> jobs = Arrays.stream((Long[]) a.getArray()).toList();
                    long mem = rs.getLong("gpu_memory_mb");
                    Long gpuMemory = rs.wasNull() ? null : mem;
                    return new WorkerInfo(
                            rs.getString("id"),
                            rs.getString("name"),
                            rs.getString("kind"),
                            rs.getString("backend"),
                            rs.getString("device"),
                            Jdbc.intOrNull(rs, "cpu_threads"),
                            rs.getString("gpu_name"),
                            gpuMemory,
                            rs.getInt("slots"),
                            rs.getBoolean("online") ? "online" : "offline",
                            Jdbc.instant(rs, "registered_at"),
                            Jdbc.instant(rs, "last_heartbeat"),
                            jobs);
                },
                leaseSeconds);
    }

    @Override
    @Transactional
    public Optional<Assignment> claim(String worker, boolean gpu) {
        Optional<JobRef> ref = jdbc.one(
                "WITH next AS (SELECT run_id FROM jobs WHERE state = 'queued'"
                        + " AND (NOT requires_gpu OR ?) ORDER BY run_id FOR UPDATE SKIP LOCKED LIMIT 1)"
                        + " UPDATE jobs j SET state = 'leased', worker_id = ?, attempts = j.attempts + 1,"
                        + " lease_expires_at = now() + make_interval(secs => ?), updated_at = now()"
                        + " FROM next WHERE j.run_id = next.run_id RETURNING j.run_id, j.attempts",
                rs -> new JobRef(rs.getLong(1), rs.getInt(2)),
                gpu,
                worker,
                leaseSeconds);
        if (ref.isEmpty()) {
            return Optional.empty();
        }
        long id = ref.get().run();
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

    /** Those of these runs whose cancel was requested. */
    public List<Long> cancelRequested(List<Long> runs) {
        if (runs.isEmpty()) {
            return List.of();
        }
        return jdbc.query(
                "SELECT id FROM runs WHERE id = ANY (?) AND (cancel_requested OR status = 'cancelled')",
                rs -> rs.getLong(1),
                (Object) runs.toArray(Long[]::new));
    }

    /** Whether the job is still leased under this attempt. */
    public boolean holds(JobRef job) {
        return jdbc.one(
                        "SELECT 1 FROM jobs WHERE run_id = ? AND state = 'leased' AND attempts = ?",
                        rs -> 1,
                        job.run(),
                        job.attempt())
                .isPresent();
    }

    @Override
    public void started(JobRef job, String device, ModelSummary summary) {
        fenced(
                jdbc.update(
                        "UPDATE runs SET device = ?, summary = ? WHERE id = ? AND " + HELD,
                        device,
                        new Jdbc.Json(write(summary)),
                        job.run(),
                        job.run(),
                        job.attempt()),
                job);
    }

    @Override
    @Transactional
    public void epoch(JobRef job, EpochMetric m) {
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
                        job.attempt()),
                job);
        jdbc.update("UPDATE runs SET epochs_done = greatest(epochs_done, ?) WHERE id = ?", m.epoch(), job.run());
    }

    @Override
    public void checkpoint(JobRef job, int epoch, String path) {
        fenced(
                jdbc.update(
                        "INSERT INTO run_checkpoints (run_id, epoch, path) SELECT ?, ?, ? WHERE " + HELD
                                + " ON CONFLICT (run_id, epoch) DO UPDATE SET path = EXCLUDED.path, created_at = now()",
                        job.run(),
                        epoch,
                        path,
                        job.run(),
                        job.attempt()),
                job);
    }

    @Override
    public void artifact(JobRef job, String name, String kind, byte[] content) {
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
                        job.attempt()),
                job);
    }

    @Override
    @Transactional
    public List<String> finish(JobRef job, RunStore.Outcome o, int keepEpoch) {
        if (jdbc.update(
                        "UPDATE jobs SET state = 'done', lease_expires_at = NULL, updated_at = now()"
                                + " WHERE run_id = ? AND state = 'leased' AND attempts = ?",
                        job.run(),
                        job.attempt())
                == 0) {
            // a worker that did not get the answer sends its finish again: this attempt already ended the run so
            if (jdbc.one(
                            "SELECT 1 FROM jobs j JOIN runs r ON r.id = j.run_id WHERE j.run_id = ?"
                                    + " AND j.state = 'done' AND j.attempts = ? AND r.status = ?",
                            rs -> 1,
                            job.run(),
                            job.attempt(),
                            o.status().jsonName())
                    .isPresent()) {
                return List.of();
            }
            throw new LeaseLostException(job);
        }
        jdbc.update(
                "UPDATE runs SET status = ?, stop_reason = ?, stopped_by = ?, stopped_epoch = ?, error = ?,"
                        + " test_loss = ?, test_accuracy = ?, finished_at = now() WHERE id = ?",
                o.status().jsonName(),
                o.stopReason(),
                o.stoppedBy(),
                o.stoppedEpoch(),
                o.error(),
                o.testLoss(),
                o.testAccuracy(),
                job.run());
        return jdbc.query(
                "DELETE FROM run_checkpoints WHERE run_id = ? AND epoch <> ? RETURNING path",
                rs -> rs.getString(1),
                job.run(),
                keepEpoch);
    }

    @Override
    @Transactional
    public void release(JobRef job) {
        if (jdbc.update(
                        "UPDATE jobs SET state = 'queued', lease_expires_at = NULL, worker_id = NULL,"
                                + " updated_at = now() WHERE run_id = ? AND state = 'leased' AND attempts = ?",
                        job.run(),
                        job.attempt())
                > 0) {
            jdbc.update("UPDATE runs SET status = 'queued', worker = NULL WHERE id = ?", job.run());
        }
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
        // a run cancelled while its worker was gone stays cancelled: it is not trained again
        List<Long> cancelled = jdbc.query(
                "UPDATE jobs SET state = 'done', lease_expires_at = NULL, updated_at = now()"
                        + " WHERE state = 'leased' AND lease_expires_at < now()"
                        + " AND run_id IN (SELECT id FROM runs WHERE cancel_requested) RETURNING run_id",
                rs -> rs.getLong(1));
        for (long id : cancelled) {
            jdbc.update(
                    "UPDATE runs SET status = 'cancelled', stop_reason = 'cancelled; its worker stopped answering',"
                            + " finished_at = now() WHERE id = ?",
                    id);
        }
        List<Long> requeued = jdbc.query(
                "UPDATE jobs SET state = 'queued', lease_expires_at = NULL, worker_id = NULL,"
                        + " updated_at = now() WHERE state = 'leased' AND lease_expires_at < now() AND attempts < ?"
                        + " RETURNING run_id",
                rs -> rs.getLong(1),
                maxAttempts);
        requeueRuns(requeued);
        List<Long> failed = jdbc.query(
                "UPDATE jobs SET state = 'done', lease_expires_at = NULL, updated_at = now()"
                        + " WHERE state = 'leased' AND lease_expires_at < now() AND attempts >= ? RETURNING run_id",
                rs -> rs.getLong(1),
                maxAttempts);
        for (long id : failed) {
            jdbc.update(
                    "UPDATE runs SET status = 'failed', error = ?, finished_at = now() WHERE id = ?",
                    "SWL-QUEUE-004 gave up after " + maxAttempts + " attempts: each time the worker's lease expired"
                            + " (the worker died or lost the platform)",
                    id);
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
