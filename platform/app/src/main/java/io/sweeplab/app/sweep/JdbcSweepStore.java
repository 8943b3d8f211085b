package io.sweeplab.app.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweeplab.app.db.Jdbc;
import io.sweeplab.app.run.JdbcRunStore;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.run.ExtensionUse;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.sweep.Search;
import io.sweeplab.core.sweep.Sweep;
import io.sweeplab.core.sweep.SweepStore;
import io.sweeplab.plugin.api.Objective;
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
import java.util.function.Function;

/** Sweeps in PostgreSQL; a sweep's status and counts come from its runs. */
@ApplicationScoped
public class JdbcSweepStore implements SweepStore {

    private static final TypeReference<Map<String, Object>> SPEC = new TypeReference<>() {};
    private static final String COLUMNS = "s.id, t.slug AS team, s.experiment_id, s.name, s.spec, s.template, s.size,"
            + " s.created_at, s.cancelled_at, s.search_ended,"
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
            long id = insertSweep(c, experiment, name, spec, template, planned.size());
            insertRuns(c, id, planned);
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException("SWL-DB-120 storing sweep failed", e);
        }
    }

    @Override
    @Transactional
    public long createSearch(
            long experiment,
            String name,
            Map<String, Object> base,
            Search search,
            String template,
            List<NewTrial> first) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("base", base);
        spec.put("search", searchJson(search));
        try (Connection c = jdbc.dataSource().getConnection()) {
            long id = insertSweep(c, experiment, name, spec, template, 0);
            insertTrials(c, id, 0, first);
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException("SWL-DB-120 storing sweep failed", e);
        }
    }

    @Override
    @Transactional
    public List<NewTrial> advance(long id, Function<Locked, Plan> planner) {
        // SKIP LOCKED: whoever holds the row is advancing this search now, with the same rows to go on
        boolean locked = jdbc.one(
                        "SELECT 1 FROM sweeps WHERE id = ? AND (spec -> 'search') IS NOT NULL FOR UPDATE SKIP LOCKED",
                        rs -> 1,
                        id)
                .isPresent();
        if (!locked) {
            return List.of();
        }
        Sweep sweep = find(id).orElse(null);
        if (sweep == null) {
            return List.of();
        }
        Plan plan = planner.apply(new Locked(sweep, runs.sweepMetrics(id)));
        try (Connection c = jdbc.dataSource().getConnection()) {
            insertTrials(c, id, sweep.search().trials().size(), plan.trials());
        } catch (SQLException e) {
            throw new IllegalStateException("SWL-DB-123 storing trials of sweep " + id + " failed", e);
        }
        if (plan.ended() != null) {
            jdbc.update("UPDATE sweeps SET search_ended = ? WHERE id = ?", plan.ended(), id);
        }
        return plan.trials();
    }

    @Override
    public List<Long> searching() {
        return jdbc.query(
                "SELECT id FROM sweeps WHERE search_ended IS NULL AND cancelled_at IS NULL AND (spec -> 'search') IS NOT NULL"
                        + " ORDER BY id",
                rs -> rs.getLong(1));
    }

    @Override
    public Optional<Long> sweepOfRun(long run) {
        return jdbc.one("SELECT sweep_id FROM runs WHERE id = ? AND sweep_id IS NOT NULL", rs -> rs.getLong(1), run);
    }

    @Override
    @Transactional
    public boolean requestStop(long run, String by, String reason) {
        return jdbc.update(
                        "UPDATE runs SET cancel_requested = true, stop_requested_by = ?, stop_requested_reason = ?"
                                + " WHERE id = ? AND status = 'running' AND NOT cancel_requested",
                        by,
                        reason,
                        run)
                > 0;
    }

    @Override
    @Transactional
    public List<Long> rerun(long id) {
        // the sweep's row first, as advance takes it: a search sees the runs queued again before it adds trials
        jdbc.query("SELECT 1 FROM sweeps WHERE id = ? FOR UPDATE", rs -> 1, id);
        List<Long> ids = jdbc.query(
                "SELECT id FROM runs WHERE sweep_id = ? AND status IN ('failed', 'cancelled') ORDER BY id FOR UPDATE",
                rs -> rs.getLong(1),
                id);
        if (ids.isEmpty()) {
            return ids;
        }
        Long[] array = ids.toArray(Long[]::new);
        List<String> files = jdbc.query(
                "DELETE FROM run_checkpoints WHERE run_id = ANY(?) RETURNING path", rs -> rs.getString(1), (Object)
                        array);
        jdbc.update("DELETE FROM run_metrics WHERE run_id = ANY(?)", (Object) array);
        jdbc.update("DELETE FROM run_artifacts WHERE run_id = ANY(?)", (Object) array);
        jdbc.update(
                "UPDATE runs SET status = 'queued', stop_reason = NULL, stopped_by = NULL, stopped_epoch = NULL,"
                        + " error = NULL, epochs_done = 0, test_loss = NULL, test_accuracy = NULL, device = NULL,"
                        + " summary = NULL, dataset = NULL, worker = NULL, cancel_requested = false,"
                        + " stop_requested_by = NULL, stop_requested_reason = NULL, best_val_epoch = NULL,"
                        + " best_val_accuracy = NULL, overfit_onset = NULL, final_gap = NULL, best_minus_last = NULL,"
                        + " started_at = NULL, finished_at = NULL WHERE id = ANY(?)",
                (Object) array);
        jdbc.update(
                "UPDATE jobs SET state = 'queued', worker_id = NULL, lease_expires_at = NULL, attempts = 0,"
                        + " given_back = 0, updated_at = now() WHERE run_id = ANY(?) AND state = 'done'",
                (Object) array);
        jdbc.update("UPDATE sweeps SET cancelled_at = NULL WHERE id = ?", id);
        io.sweeplab.app.db.CheckpointFiles.delete(files);
        return ids;
    }

    @Override
    @Transactional
    public boolean extend(long id, int trials, int maxRuns) {
        return jdbc.update(
                        "UPDATE sweeps SET search_ended = NULL, cancelled_at = NULL, spec = jsonb_set(jsonb_set(spec,"
                                + " '{search,budget,maxRuns}', to_jsonb((spec #>> '{search,budget,maxRuns}')::int + ?)),"
                                + " '{search,startedAt}',"
                                + " to_jsonb(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'))) WHERE id = ? AND (spec -> 'search') IS NOT NULL"
                                + " AND (spec #>> '{search,budget,maxRuns}')::int + ? <= ?",
                        trials,
                        id,
                        trials,
                        maxRuns)
                > 0;
    }

    private long insertSweep(
            Connection c, long experiment, String name, Map<String, Object> spec, String template, int size)
            throws SQLException {
        try (PreparedStatement ps = Jdbc.prepare(
                        c,
                        "INSERT INTO sweeps (team_id, experiment_id, name, spec, template, size)"
                                + " SELECT team_id, id, ?, ?, ?, ? FROM experiments WHERE id = ? RETURNING id",
                        name,
                        new Jdbc.Json(write(spec)),
                        template,
                        size,
                        experiment);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new NotFoundException("no experiment " + experiment);
            }
            return rs.getLong(1);
        }
    }

    /** Inserts the runs with their jobs queued; returns their ids in order. */
    private List<Long> insertRuns(Connection c, long sweep, List<PlannedRun> planned) throws SQLException {
        List<Long> ids = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                // clock_timestamp(): a trial's run is created after the runs whose end made room for it ended
                "INSERT INTO runs (team_id, experiment_id, sweep_id, spec, status, architecture, cell, created_at)"
                        + " SELECT team_id, experiment_id, id, ?::jsonb, 'queued', ?, ?::jsonb, clock_timestamp()"
                        + " FROM sweeps"
                        + " WHERE id = ? RETURNING id")) {
            for (PlannedRun run : planned) {
                ps.setString(1, write(run.spec()));
                ps.setString(2, run.spec().architecture());
                ps.setString(3, write(run.cell()));
                ps.setLong(4, sweep);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    ids.add(rs.getLong(1));
                }
            }
        }
        if (!ids.isEmpty()) {
            try (PreparedStatement ps = Jdbc.prepare(
                    c,
                    "INSERT INTO jobs (run_id, state, requires_gpu) SELECT id, 'queued',"
                            + " coalesce((spec ->> 'requiresGpu')::boolean, false) FROM runs WHERE id = ANY(?)",
                    (Object) ids.toArray(Long[]::new))) {
                ps.executeUpdate();
            }
        }
        return ids;
    }

    /** Numbers the trials after the {@code before} already stored; each accepted one gets its run. */
    private void insertTrials(Connection c, long sweep, int before, List<NewTrial> trials) throws SQLException {
        if (trials.isEmpty()) {
            return;
        }
        List<PlannedRun> planned = new java.util.ArrayList<>();
        for (NewTrial t : trials) {
            if (t.spec() != null) {
                planned.add(new PlannedRun(t.spec(), t.params()));
            }
        }
        java.util.Iterator<Long> runIds = insertRuns(c, sweep, planned).iterator();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO sweep_trials (sweep_id, trial_no, params, run_id, error) VALUES (?, ?, ?::jsonb, ?, ?)")) {
            int n = before;
            for (NewTrial t : trials) {
                ps.setLong(1, sweep);
                ps.setInt(2, ++n);
                ps.setString(3, write(t.params()));
                ps.setObject(4, t.spec() != null ? runIds.next() : null, java.sql.Types.BIGINT);
                ps.setString(5, t.error());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = Jdbc.prepare(
                c,
                "UPDATE sweeps SET size = (SELECT count(*) FROM runs WHERE sweep_id = ?) WHERE id = ?",
                sweep,
                sweep)) {
            ps.executeUpdate();
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
        long id = rs.getLong("id");
        Search search = spec.containsKey("search")
                ? search(
                        (Map<String, Object>) spec.get("search"),
                        rs.getString("search_ended"),
                        runs == null ? null : trials(id))
                : null;
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
                id,
                rs.getString("team"),
                rs.getLong("experiment_id"),
                rs.getString("name"),
                (Map<String, Object>) spec.get("base"),
                search == null ? (Map<String, List<Object>>) spec.get("grid") : Map.of(),
                rs.getString("template"),
                status(counts, cancelledAt != null, search != null && search.ended() == null),
                counts,
                rs.getInt("size"),
                Jdbc.instant(rs, "created_at"),
                cancelledAt,
                runs,
                search);
    }

    /** @param searching whether a search may still propose trials */
    static String status(Map<String, Integer> counts, boolean cancelled, boolean searching) {
        int queued = counts.get("queued");
        int running = counts.get("running");
        int done = counts.values().stream().mapToInt(Integer::intValue).sum() - queued - running;
        if (queued + running > 0 || (searching && !cancelled)) {
            return running > 0 || done > 0 ? "running" : "queued";
        }
        if (cancelled) {
            return "cancelled";
        }
        return counts.get("failed") > 0 ? "failed" : "succeeded";
    }

    private List<Search.TrialRecord> trials(long sweep) {
        return jdbc.query(
                "SELECT trial_no, params, run_id, error, proposed_at FROM sweep_trials WHERE sweep_id = ? ORDER BY trial_no",
                rs -> new Search.TrialRecord(
                        rs.getInt(1),
                        read(rs.getString(2), SPEC),
                        (Long) rs.getObject(3, Long.class),
                        rs.getString(4),
                        Jdbc.instant(rs, "proposed_at")),
                sweep);
    }

    /** The search's settings as stored in the sweep's spec. */
    static Map<String, Object> searchJson(Search s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("strategy", use(s.strategy()));
        out.put("space", s.space());
        out.put(
                "objective",
                Map.of(
                        "metric",
                        s.objective().metric(),
                        "goal",
                        s.objective().goal().name().toLowerCase(java.util.Locale.ROOT)));
        Map<String, Object> budget = new LinkedHashMap<>();
        budget.put("maxRuns", s.budget().maxRuns());
        budget.put("maxHours", s.budget().maxHours());
        out.put("budget", budget);
        out.put("parallelism", s.parallelism());
        out.put("scheduler", s.scheduler() == null ? null : use(s.scheduler()));
        out.put("seed", s.seed());
        out.put("startedAt", s.startedAt().toString());
        return out;
    }

    private static Map<String, Object> use(ExtensionUse u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("params", u.params());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static ExtensionUse use(Object json) {
        if (json == null) {
            return null;
        }
        Map<String, Object> m = (Map<String, Object>) json;
        return new ExtensionUse((String) m.get("id"), (Map<String, Object>) m.get("params"));
    }

    @SuppressWarnings("unchecked")
    private static Search search(Map<String, Object> j, String ended, List<Search.TrialRecord> trials) {
        Map<String, Object> o = (Map<String, Object>) j.get("objective");
        Map<String, Object> b = (Map<String, Object>) j.get("budget");
        String started = (String) j.get("startedAt");
        return new Search(
                use(j.get("strategy")),
                (Map<String, Object>) j.get("space"),
                new Objective(
                        (String) o.get("metric"),
                        Objective.Goal.valueOf(((String) o.get("goal")).toUpperCase(java.util.Locale.ROOT))),
                new Search.Budget(
                        ((Number) b.get("maxRuns")).intValue(),
                        b.get("maxHours") == null ? null : ((Number) b.get("maxHours")).doubleValue()),
                ((Number) j.get("parallelism")).intValue(),
                use(j.get("scheduler")),
                ((Number) j.get("seed")).longValue(),
                java.time.Instant.parse(started),
                ended,
                trials == null ? List.of() : trials);
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
