package io.sweeplab.app.launch;

import io.sweeplab.app.db.Jdbc;
import io.sweeplab.core.launch.Launch;
import io.sweeplab.core.launch.LaunchState;
import io.sweeplab.core.launch.LaunchStore;
import io.sweeplab.plugin.api.WorkerRequest.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Launches in {@code worker_launches} (migration V16). */
@ApplicationScoped
public class JdbcLaunchStore implements LaunchStore {

    private static final String COLUMNS =
            "id, launcher, kind, external_id, worker_name, state, detail, created_at, ended_at FROM worker_launches";

    private final Jdbc jdbc;

    public JdbcLaunchStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Launch create(String launcher, Kind kind, Long team, byte[] tokenHash) {
        return jdbc.one(
                        "INSERT INTO worker_launches (launcher, kind, team_id, state, token_hash)"
                                + " VALUES (?, ?, ?, 'submitting', ?) RETURNING "
                                + COLUMNS.replace(" FROM worker_launches", ""),
                        JdbcLaunchStore::launch,
                        launcher,
                        kind.name().toLowerCase(Locale.ROOT),
                        team,
                        tokenHash)
                .orElseThrow();
    }

    @Override
    public boolean submitted(long id, String externalId, String workerName) {
        return jdbc.update(
                        "UPDATE worker_launches SET external_id = ?, worker_name = ?, state = 'pending', updated_at = now()"
                                + " WHERE id = ? AND state = 'submitting'",
                        externalId,
                        workerName,
                        id)
                == 1;
    }

    @Override
    public void status(long id, LaunchState state, String detail) {
        jdbc.update(
                "UPDATE worker_launches SET state = ?, detail = ?, updated_at = now()"
                        + " WHERE id = ? AND state <> 'ended'",
                state.jsonName(),
                detail,
                id);
    }

    @Override
    public boolean end(long id, String detail, boolean byPlatform) {
        boolean ended = jdbc.update(
                        "UPDATE worker_launches SET state = 'ended', detail = ?, token_hash = NULL, ended_at = now(),"
                                + " ended_by_platform = ?, updated_at = now() WHERE id = ? AND state <> 'ended'",
                        detail,
                        byPlatform,
                        id)
                == 1;
        // the engine says its worker is gone: its leases expire now, and the reaper hands its jobs on (or ends them)
        // as for any dead worker, without waiting out the lease
        jdbc.update(
                "UPDATE jobs SET lease_expires_at = now(), updated_at = now() WHERE state = 'leased'"
                        + " AND lease_expires_at > now() AND worker_id IN (SELECT id FROM workers WHERE credential = ?)",
                Launch.credential(id));
        return ended;
    }

    @Override
    public List<Ended> lastEnded(String launcher, int limit) {
        return jdbc.query(
                "SELECT l.id, l.ended_at, l.ended_by_platform,"
                        + " EXISTS (SELECT 1 FROM workers w WHERE w.credential = 'launch:' || l.id) AS registered"
                        + " FROM worker_launches l WHERE l.launcher = ? AND l.state = 'ended' ORDER BY l.id DESC LIMIT ?",
                rs -> new Ended(
                        rs.getLong("id"),
                        Jdbc.instant(rs, "ended_at"),
                        rs.getBoolean("registered"),
                        rs.getBoolean("ended_by_platform")),
                launcher,
                limit);
    }

    @Override
    public java.util.Optional<Launch> launch(long id) {
        return jdbc.one("SELECT " + COLUMNS + " WHERE id = ?", JdbcLaunchStore::launch, id);
    }

    @Override
    public List<Launch> active() {
        return jdbc.query("SELECT " + COLUMNS + " WHERE state <> 'ended' ORDER BY id", JdbcLaunchStore::launch);
    }

    @Override
    public List<Launch> recent(int limit) {
        return jdbc.query(
                "SELECT " + COLUMNS + " ORDER BY created_at DESC, id DESC LIMIT ?", JdbcLaunchStore::launch, limit);
    }

    @Override
    public Demand demand(Long team, java.util.Set<Long> except) {
        // the ids are numbers the platform made: written into the statement, not bound one by one
        String excluded = except.isEmpty()
                ? ""
                : " AND r.team_id NOT IN ("
                        + except.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")) + ")";
        return jdbc.one(
                        "SELECT count(*) FILTER (WHERE NOT j.requires_gpu) AS cpu,"
                                + " count(*) FILTER (WHERE j.requires_gpu) AS gpu"
                                + " FROM jobs j JOIN runs r ON r.id = j.run_id"
                                + " WHERE j.state = 'queued' AND (?::bigint IS NULL OR r.team_id = ?::bigint)"
                                + excluded,
                        rs -> new Demand(rs.getInt("cpu"), rs.getInt("gpu"), busy()),
                        team,
                        team)
                .orElseThrow();
    }

    /** The launches whose worker holds a job. */
    private Set<Long> busy() {
        return new HashSet<>(jdbc.query(
                "SELECT DISTINCT l.id FROM jobs j JOIN workers w ON w.id = j.worker_id"
                        + " JOIN worker_launches l ON w.credential = 'launch:' || l.id"
                        + " WHERE j.state = 'leased' AND l.state <> 'ended'",
                rs -> rs.getLong(1)));
    }

    private static Launch launch(ResultSet rs) throws SQLException {
        return new Launch(
                rs.getLong("id"),
                rs.getString("launcher"),
                Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
                rs.getString("external_id"),
                rs.getString("worker_name"),
                LaunchState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
                rs.getString("detail"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "ended_at"));
    }
}
