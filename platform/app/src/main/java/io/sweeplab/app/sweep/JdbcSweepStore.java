package io.sweeplab.app.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweeplab.app.db.Jdbc;
import io.sweeplab.app.run.JdbcRunStore;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.core.sweep.SweepStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sweeps in PostgreSQL; a sweep's status and counts come from its runs. */
@ApplicationScoped
public class JdbcSweepStore implements SweepStore {

    private static final TypeReference<Map<String, Object>> SPEC = new TypeReference<>() {};
    private static final String COLUMNS = "s.id, t.slug AS team, s.experiment_id, s.name, s.spec, s.template, s.size,"
            + " s.created_at, s.cancelled_at,"
            + " (SELECT json_object_agg(status, n) FROM (SELECT status, count(*) AS n FROM runs WHERE sweep_id = s.id"
            + " GROUP BY status) c) AS counts"
            + " FROM sweeps s JOIN teams t ON t.id = s.team_id";

    private final Jdbc jdbc;
    private final JdbcRunStore runs;
    private final ObjectMapper json;

    public JdbcSweepStore(Jdbc jdbc, JdbcRunStore runs, ObjectMapper json) {
        this.jdbc = jdbc;
        this.runs = runs;
        this.json = json;
    }

    @Override
    @Transactional
    public long create(
            long experiment,
            String name,
            Map<String, Object> base,
            Map<String, List<Object>> grid,
            String template,
            List<PlannedRun> planned) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("base", base);
        spec.put("grid", grid);
        try (Connection c = jdbc.dataSource().getConnection()) {
            long team;
            try (PreparedStatement ps = Jdbc.prepare(c, "SELECT team_id FROM experiments WHERE id = ?", experiment);
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("no experiment " + experiment);
                }
                team = rs.getLong(1);
            }
            long id;
            try (PreparedStatement ps = Jdbc.prepare(
                            c,
                            "INSERT INTO sweeps (team_id, experiment_id, name, spec, template,"
                                    + " size) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                            team,
                            experiment,
                            name,
                            new Jdbc.Json(write(spec)),
                            template,
                            planned.size());
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (team_id, experiment_id, sweep_id, spec,"
                    + " status, architecture, cell) VALUES (?, ?, ?, ?::jsonb, 'queued', ?, ?::jsonb)")) {
                for (PlannedRun run : planned) {
                    ps.setLong(1, team);
                    ps.setLong(2, experiment);
                    ps.setLong(3, id);
                    ps.setString(4, write(run.spec()));
                    ps.setString(5, run.spec().architecture());
                    ps.setString(6, write(run.cell()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = Jdbc.prepare(
                    c,
                    "INSERT INTO jobs (run_id, state, requires_gpu) SELECT id, 'queued',"
                            + " coalesce((spec ->> 'requiresGpu')::boolean, false) FROM runs" + " WHERE sweep_id = ?",
                    id)) {
                ps.executeUpdate();
            }
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException("SWL-DB-120 storing sweep failed", e);
        }
    }

    @Override
    public Optional<Sweep> find(long id) {
        return jdbc.one("SELECT " + COLUMNS + " WHERE s.id = ?", rs -> sweep(rs, runs.bySweep(id)), id);
    }

    @Override
    public List<Sweep> list(Long experiment, java.util.Set<String> teams) {
        String[] t = io.sweeplab.app.run.JdbcRunStore.teamArray(teams);
        return jdbc.query(
                "SELECT " + COLUMNS + " WHERE (?::bigint IS NULL OR s.experiment_id = ?::bigint)"
                        + " AND (?::text[] IS NULL OR t.slug = ANY(?::text[])) ORDER BY s.id DESC",
                rs -> sweep(rs, null),
                experiment,
                experiment,
                t,
                t);
    }

    @Override
    @Transactional
    public boolean delete(long id) {
        List<String> files = jdbc.query(
                "SELECT c.path FROM run_checkpoints c JOIN runs r ON r.id = c.run_id WHERE r.sweep_id = ?",
                rs -> rs.getString(1),
                id);
        boolean existed = jdbc.update("DELETE FROM sweeps WHERE id = ?", id) > 0;
        io.sweeplab.app.db.CheckpointFiles.delete(files);
        return existed;
    }

    @Override
    @Transactional
    public List<Long> cancel(long id) {
        jdbc.update("UPDATE sweeps SET cancelled_at = now() WHERE id = ? AND cancelled_at IS NULL", id);
        jdbc.update(
                "UPDATE jobs SET state = 'done', updated_at = now() WHERE state = 'queued'"
                        + " AND run_id IN (SELECT id FROM runs WHERE sweep_id = ?)",
                id);
        jdbc.update(
                "UPDATE runs SET status = 'cancelled', stop_reason = 'the sweep was cancelled before it started',"
                        + " finished_at = now() WHERE sweep_id = ? AND status = 'queued'",
                id);
        return jdbc.query(
                "UPDATE runs SET cancel_requested = true WHERE sweep_id = ? AND status = 'running'" + " RETURNING id",
                rs -> rs.getLong(1),
                id);
    }

    @SuppressWarnings("unchecked")
    private Sweep sweep(ResultSet rs, List<Run> runs) throws SQLException {
        Map<String, Object> spec = read(rs.getString("spec"), SPEC);
        String countsJson = rs.getString("counts");
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String s : List.of("queued", "running", "succeeded", "stopped", "failed", "cancelled")) {
            counts.put(s, 0);
        }
        if (countsJson != null) {
            read(countsJson, SPEC).forEach((k, v) -> counts.put(k, ((Number) v).intValue()));
        }
        java.time.Instant cancelledAt = Jdbc.instant(rs, "cancelled_at");
        return new Sweep(
                rs.getLong("id"),
                rs.getString("team"),
                rs.getLong("experiment_id"),
                rs.getString("name"),
                (Map<String, Object>) spec.get("base"),
                (Map<String, List<Object>>) spec.get("grid"),
                rs.getString("template"),
                status(counts, cancelledAt != null),
                counts,
                rs.getInt("size"),
                Jdbc.instant(rs, "created_at"),
                cancelledAt,
                runs,
                null);
    }

    static String status(Map<String, Integer> counts, boolean cancelled) {
        int queued = counts.get("queued");
        int running = counts.get("running");
        int done = counts.values().stream().mapToInt(Integer::intValue).sum() - queued - running;
        if (queued + running > 0) {
            return running > 0 || done > 0 ? "running" : "queued";
        }
        if (cancelled) {
            return "cancelled";
        }
        return counts.get("failed") > 0 ? "failed" : "succeeded";
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("SWL-DB-121 cannot write sweep", e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("SWL-DB-122 stored sweep cannot be read", e);
        }
    }
}
