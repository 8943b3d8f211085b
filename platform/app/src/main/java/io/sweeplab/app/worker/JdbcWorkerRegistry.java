package io.sweeplab.app.worker;

import io.sweeplab.app.db.Jdbc;
import io.sweeplab.core.access.Tokens;
import io.sweeplab.core.queue.JobQueue;
import io.sweeplab.core.queue.WorkerCredential;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.queue.WorkerRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.sql.Array;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Workers in PostgreSQL; a remote worker's key is kept as its SHA-256 only. */
@ApplicationScoped
public class JdbcWorkerRegistry implements WorkerRegistry {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A worker is online while its last heartbeat is within a lease (the parameter, in seconds). */
    public static final String ONLINE = "now() - last_heartbeat < make_interval(secs => ?)";

    private final Jdbc jdbc;
    private final double leaseSeconds;

    public JdbcWorkerRegistry(Jdbc jdbc, JobQueue queue) {
        this.jdbc = jdbc;
        this.leaseSeconds = queue.lease().toMillis() / 1000.0;
    }

    @Override
    public void registerEmbedded(WorkerInfo w) {
        upsert(w, "embedded", null, null);
    }

    @Override
    public Registration registerRemote(WorkerInfo announced, WorkerCredential credential) {
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        String id = "remote@" + announced.name() + "-" + HexFormat.of().formatHex(suffix);
        String key = Tokens.newSecret();
        WorkerInfo w = WorkerInfo.announce(
                id,
                announced.name(),
                "remote",
                announced.backend(),
                announced.device(),
                announced.cpuThreads(),
                announced.gpuName(),
                announced.gpuMemoryMb(),
                announced.slots());
        upsert(w, credential.id(), Tokens.hash(key), credential.team());
        return new Registration(w, key);
    }

    private void upsert(WorkerInfo w, String credential, byte[] keyHash, Long team) {
        jdbc.update(
                "INSERT INTO workers (id, name, kind, backend, device, cpu_threads, gpu_name, gpu_memory_mb, slots,"
                        + " credential, key_hash, team_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,"
                        + " kind = EXCLUDED.kind, backend = EXCLUDED.backend, device = EXCLUDED.device,"
                        + " cpu_threads = EXCLUDED.cpu_threads, gpu_name = EXCLUDED.gpu_name,"
                        + " gpu_memory_mb = EXCLUDED.gpu_memory_mb, slots = EXCLUDED.slots,"
                        + " credential = EXCLUDED.credential, key_hash = EXCLUDED.key_hash, team_id = EXCLUDED.team_id,"
                        + " last_heartbeat = now(), paused = false",
                w.id(),
                w.name(),
                w.kind(),
                w.backend(),
                w.device(),
                w.cpuThreads(),
                w.gpuName(),
                w.gpuMemoryMb(),
                w.slots(),
                credential,
                keyHash,
                team);
    }

    @Override
    public Optional<String> authenticate(WorkerCredential credential, String key) {
        if (key == null || !key.startsWith(Tokens.PREFIX) || key.length() > 200) {
            return Optional.empty();
        }
        return jdbc.one(
                "SELECT id FROM workers WHERE key_hash = ? AND credential = ?",
                rs -> rs.getString(1),
                Tokens.hash(key),
                credential.id());
    }

    @Override
    public List<WorkerInfo> workers() {
        return jdbc.query(
                "SELECT w.*, " + ONLINE + " AS online,"
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
                            rs.getBoolean("paused"),
                            Jdbc.instant(rs, "registered_at"),
                            Jdbc.instant(rs, "last_heartbeat"),
                            jobs);
                },
                leaseSeconds);
    }

    @Override
    public Optional<WorkerInfo> setPaused(String id, boolean paused) {
        if (jdbc.update("UPDATE workers SET paused = ? WHERE id = ?", paused, id) == 0) {
            return Optional.empty();
        }
        return workers().stream().filter(w -> w.id().equals(id)).findFirst();
    }
}
