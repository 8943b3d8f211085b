package io.sweeplab.app.mlflow;

import io.sweeplab.app.db.Jdbc;
import io.sweeplab.app.db.Sql;
import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.external.DatasetInput;
import io.sweeplab.core.external.ExternalRun;
import io.sweeplab.core.external.ExternalRunStore;
import io.sweeplab.core.external.KeyValue;
import io.sweeplab.core.external.MetricPoint;
import io.sweeplab.core.external.MlflowExperiment;
import io.sweeplab.core.external.RunRef;
import io.sweeplab.core.external.SearchFilter.Clause;
import io.sweeplab.core.external.SearchFilter.Entity;
import io.sweeplab.core.external.SearchFilter.Order;
import io.sweeplab.core.external.ViewType;
import io.sweeplab.core.run.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * External runs in PostgreSQL (migration V14). A log-batch's metric points go in with one statement: the points as
 * arrays, unnested, the latest value per key upserted in the same statement.
 */
@ApplicationScoped
public class JdbcExternalRunStore implements ExternalRunStore {

    private static final String EXPERIMENT_COLUMNS = "e.id, t.slug, e.name, e.lifecycle, e.created_at, e.updated_at"
            + " FROM experiments e JOIN teams t ON t.id = e.team_id JOIN projects p ON p.id = e.project_id";

    private static final String RUN_COLUMNS =
            "r.id, t.slug, r.experiment_id, r.mlflow_id, r.lifecycle, r.name, r.user_name, r.status, r.start_time,"
                    + " r.end_time FROM runs r JOIN teams t ON t.id = r.team_id";

    /** A run's status as MLflow spells it, for filters and ordering. */
    private static final String MLFLOW_STATUS = "(CASE r.status WHEN 'queued' THEN 'SCHEDULED' WHEN 'running' THEN"
            + " 'RUNNING' WHEN 'succeeded' THEN 'FINISHED' WHEN 'failed' THEN 'FAILED' ELSE 'KILLED' END)";

    private static final String LOG_METRICS = "WITH input AS (SELECT * FROM unnest(?::text[], ?::float8[],"
            + " ?::bigint[], ?::bigint[]) AS u(key, value, ts, step)),"
            + " latest AS (SELECT DISTINCT ON (key) key, value, ts, step FROM input"
            + " ORDER BY key, step DESC, ts DESC, value DESC),"
            + " k AS (INSERT INTO run_metric_keys AS m (run_id, key, value, ts, step)"
            + " SELECT ?, key, value, ts, step FROM latest ON CONFLICT (run_id, key) DO UPDATE SET"
            + " value = CASE WHEN (excluded.step, excluded.ts, excluded.value) > (m.step, m.ts, m.value)"
            + " THEN excluded.value ELSE m.value END,"
            + " ts = CASE WHEN (excluded.step, excluded.ts, excluded.value) > (m.step, m.ts, m.value)"
            + " THEN excluded.ts ELSE m.ts END,"
            + " step = GREATEST(excluded.step, m.step) RETURNING id, key)"
            + " INSERT INTO run_metric_points (key_id, step, ts, value)"
            + " SELECT k.id, i.step, i.ts, i.value FROM input i JOIN k USING (key)";

    private static final String LOG_PARAMS = "WITH u AS (SELECT * FROM unnest(?::text[], ?::text[]) AS u(key, value)),"
            + " ins AS (INSERT INTO run_params (run_id, key, value) SELECT ?, key, value FROM u"
            + " ON CONFLICT (run_id, key) DO NOTHING)"
            + " SELECT p.key, p.value, u.value FROM u JOIN run_params p ON p.run_id = ? AND p.key = u.key"
            + " WHERE p.value <> u.value";

    private final Jdbc jdbc;

    public JdbcExternalRunStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    // --- experiments

    @Override
    public Optional<MlflowExperiment> experiment(long id) {
        return withTags(jdbc.query("SELECT " + EXPERIMENT_COLUMNS + " WHERE e.id = ?", this::experiment, id)).stream()
                .findFirst();
    }

    @Override
    public List<MlflowExperiment> experimentsNamed(String team, String name) {
        return withTags(jdbc.query(
                "SELECT " + EXPERIMENT_COLUMNS + " WHERE t.slug = ? AND e.name = ?"
                        + " ORDER BY (p.slug = 'default') DESC, e.id",
                this::experiment,
                team,
                name));
    }

    @Override
    public List<MlflowExperiment> experiments(
            Set<String> teams, List<Clause> filter, List<Order> order, ViewType view, int offset, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + EXPERIMENT_COLUMNS
                + " WHERE (?::text[] IS NULL OR t.slug = ANY(?::text[]))" + lifecycle("e", view));
        List<Object> args = new ArrayList<>();
        String[] t = teams == null ? null : teams.toArray(String[]::new);
        args.add(t);
        args.add(t);
        for (Clause c : filter) {
            sql.append(" AND ");
            if (c.entity() == Entity.TAG) {
                tableClause(sql, args, "experiment_tags", "x.experiment_id = e.id", c);
            } else {
                String col = switch (c.key()) {
                    case "name" -> "(t.slug || '/' || e.name)";
                    case "creation_time" -> "(extract(epoch FROM e.created_at) * 1000)::bigint";
                    default -> "(extract(epoch FROM e.updated_at) * 1000)::bigint";
                };
                compare(sql, args, col, c);
            }
        }
        sql.append(" ORDER BY ");
        for (Order o : order) {
            sql.append(
                            switch (o.key()) {
                                case "name" -> "t.slug || '/' || e.name";
                                case "experiment_id" -> "e.id";
                                case "creation_time" -> "e.created_at";
                                default -> "e.updated_at";
                            })
                    .append(o.ascending() ? " ASC, " : " DESC, ");
        }
        sql.append("e.created_at DESC, e.id DESC OFFSET ? LIMIT ?");
        args.add(offset);
        args.add(limit);
        return withTags(jdbc.query(sql.toString(), this::experiment, args.toArray()));
    }

    @Override
    @Transactional
    public void setExperimentDeleted(long id, boolean deleted) {
        String l = deleted ? "deleted" : "active";
        jdbc.update("UPDATE experiments SET lifecycle = ?, updated_at = now() WHERE id = ?", l, id);
        jdbc.update("UPDATE runs SET lifecycle = ? WHERE experiment_id = ? AND source = 'external'", l, id);
    }

    @Override
    public void renameExperiment(long id, String name) {
        try (Connection c = jdbc.dataSource().getConnection();
                PreparedStatement ps =
                        Jdbc.prepare(c, "UPDATE experiments SET name = ?, updated_at = now() WHERE id = ?", name, id)) {
            ps.executeUpdate();
        } catch (SQLException e) {
            if (Sql.isUniqueViolation(e)) {
                throw new ConflictException("new_name", "Experiment '" + name + "' already exists.");
            }
            throw new IllegalStateException("SWL-DB-150 renaming experiment failed", e);
        }
    }

    @Override
    public void setExperimentTags(long id, List<KeyValue> tags) {
        jdbc.update(
                "INSERT INTO experiment_tags (experiment_id, key, value) SELECT ?, * FROM unnest(?::text[], ?::text[])"
                        + " ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value",
                id,
                keys(tags),
                values(tags));
        jdbc.update("UPDATE experiments SET updated_at = now() WHERE id = ?", id);
    }

    private MlflowExperiment experiment(ResultSet rs) throws SQLException {
        return new MlflowExperiment(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4).equals("deleted"),
                rs.getTimestamp(5).toInstant(),
                rs.getTimestamp(6).toInstant(),
                List.of());
    }

    private List<MlflowExperiment> withTags(List<MlflowExperiment> found) {
        if (found.isEmpty()) {
            return found;
        }
        Map<Long, List<KeyValue>> tags = new HashMap<>();
        jdbc.query(
                "SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id = ANY(?) ORDER BY key",
                rs -> tags.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new KeyValue(rs.getString(2), rs.getString(3))),
                (Object) found.stream().map(MlflowExperiment::id).toArray(Long[]::new));
        return found.stream()
                .map(e -> new MlflowExperiment(
                        e.id(),
                        e.team(),
                        e.name(),
                        e.deleted(),
                        e.created(),
                        e.updated(),
                        tags.getOrDefault(e.id(), List.of())))
                .toList();
    }

    // --- runs

    @Override
    @Transactional
    public RunRef createRun(
            long experiment, String mlflowId, String name, String user, long startTime, List<KeyValue> tags) {
        long id = jdbc.one(
                        "INSERT INTO runs (team_id, experiment_id, spec, status, source, mlflow_id, name, user_name,"
                                + " start_time, started_at) SELECT e.team_id, e.id, NULL, 'running', 'external', ?, ?,"
                                + " ?, ?, to_timestamp(? / 1000.0) FROM experiments e WHERE e.id = ? RETURNING id",
                        rs -> rs.getLong(1),
                        mlflowId,
                        name,
                        user,
                        startTime,
                        startTime,
                        experiment)
                .orElseThrow();
        RunRef ref = ref(mlflowId).orElseThrow();
        if (!tags.isEmpty()) {
            upsertTags(id, tags);
        }
        return ref;
    }

    @Override
    public Optional<RunRef> ref(String mlflowId) {
        return jdbc.one(
                "SELECT r.id, t.slug, r.experiment_id, r.mlflow_id, r.lifecycle FROM runs r"
                        + " JOIN teams t ON t.id = r.team_id WHERE r.mlflow_id = ?",
                rs -> new RunRef(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getString(5).equals("deleted")),
                mlflowId);
    }

    @Override
    public ExternalRun run(RunRef ref) {
        return withData(jdbc.query("SELECT " + RUN_COLUMNS + " WHERE r.id = ?", this::run, ref.id()))
                .get(0);
    }

    @Override
    public void updateRun(RunRef ref, RunStatus status, Long endTime, String name) {
        jdbc.update(
                "UPDATE runs SET status = coalesce(?, status), end_time = coalesce(?, end_time),"
                        + " finished_at = CASE WHEN ?::bigint IS NOT NULL THEN to_timestamp(? / 1000.0)"
                        + " WHEN ? IN ('succeeded', 'failed', 'cancelled') THEN coalesce(finished_at, now())"
                        + " ELSE finished_at END, name = coalesce(?, name) WHERE id = ?",
                status == null ? null : status.jsonName(),
                endTime,
                endTime,
                endTime,
                status == null ? null : status.jsonName(),
                name,
                ref.id());
    }

    @Override
    public void setRunDeleted(RunRef ref, boolean deleted) {
        jdbc.update("UPDATE runs SET lifecycle = ? WHERE id = ?", deleted ? "deleted" : "active", ref.id());
    }

    @Override
    @Transactional
    public void log(RunRef ref, List<MetricPoint> metrics, List<KeyValue> params, List<KeyValue> tags) {
        try (Connection c = jdbc.dataSource().getConnection()) {
            if (!params.isEmpty()) {
                List<String> changed = new ArrayList<>();
                try (PreparedStatement ps =
                                Jdbc.prepare(c, LOG_PARAMS, keys(params), values(params), ref.id(), ref.id());
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        changed.add("{'key': '" + rs.getString(1) + "', 'old_value': '" + rs.getString(2)
                                + "', 'new_value': '" + rs.getString(3) + "'}");
                    }
                }
                if (!changed.isEmpty()) {
                    throw new InvalidInputException(
                            "params",
                            "Changing param values is not allowed. Params were already logged='" + changed
                                    + "' for run ID='" + ref.mlflowId() + "'.");
                }
            }
            if (!metrics.isEmpty()) {
                int n = metrics.size();
                // primitive arrays: the driver sends them in binary, not as text the server parses number by number
                String[] k = new String[n];
                double[] v = new double[n];
                long[] ts = new long[n];
                long[] step = new long[n];
                for (int i = 0; i < n; i++) {
                    MetricPoint m = metrics.get(i);
                    k[i] = m.key();
                    v[i] = m.value();
                    ts[i] = m.timestamp();
                    step[i] = m.step();
                }
                try (PreparedStatement ps = c.prepareStatement(LOG_METRICS)) {
                    ps.setArray(1, c.createArrayOf("text", k));
                    org.postgresql.PGConnection pg = c.unwrap(org.postgresql.PGConnection.class);
                    ps.setArray(2, pg.createArrayOf("float8", v));
                    ps.setArray(3, pg.createArrayOf("bigint", ts));
                    ps.setArray(4, pg.createArrayOf("bigint", step));
                    ps.setLong(5, ref.id());
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SWL-DB-151 logging to run " + ref.mlflowId() + " failed", e);
        }
        if (!tags.isEmpty()) {
            upsertTags(ref.id(), tags);
        }
    }

    private void upsertTags(long run, List<KeyValue> tags) {
        jdbc.update(
                "INSERT INTO run_tags (run_id, key, value) SELECT ?, * FROM unnest(?::text[], ?::text[])"
                        + " ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value",
                run,
                keys(tags),
                values(tags));
    }

    @Override
    public boolean deleteTag(RunRef ref, String key) {
        return jdbc.update("DELETE FROM run_tags WHERE run_id = ? AND key = ?", ref.id(), key) > 0;
    }

    @Override
    public void logInputs(RunRef ref, List<DatasetInput> inputs) {
        for (DatasetInput d : inputs) {
            Map<String, String> tags = new LinkedHashMap<>();
            d.tags().forEach(t -> tags.put(t.key(), t.value()));
            jdbc.update(
                    "INSERT INTO run_inputs (run_id, name, digest, source_type, source, schema, profile, tags)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, name, digest) DO UPDATE SET"
                            + " tags = run_inputs.tags || excluded.tags",
                    ref.id(),
                    d.name(),
                    d.digest(),
                    d.sourceType(),
                    d.source(),
                    d.schema(),
                    d.profile(),
                    new Jdbc.Json(new io.vertx.core.json.JsonObject(new LinkedHashMap<>(tags)).encode()));
        }
    }

    @Override
    public List<ExternalRun> search(
            Set<String> teams,
            List<Long> experiments,
            List<Clause> filter,
            List<Order> order,
            ViewType view,
            int offset,
            int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + RUN_COLUMNS + " WHERE r.source = 'external'"
                + " AND r.experiment_id = ANY(?) AND (?::text[] IS NULL OR t.slug = ANY(?::text[]))"
                + lifecycle("r", view));
        List<Object> args = new ArrayList<>();
        String[] t = teams == null ? null : teams.toArray(String[]::new);
        args.add(experiments.toArray(Long[]::new));
        args.add(t);
        args.add(t);
        for (Clause c : filter) {
            sql.append(" AND ");
            switch (c.entity()) {
                case METRIC -> tableClause(sql, args, "run_metric_keys", "x.run_id = r.id", c);
                case PARAM -> tableClause(sql, args, "run_params", "x.run_id = r.id", c);
                case TAG -> tableClause(sql, args, "run_tags", "x.run_id = r.id", c);
                case ATTRIBUTE -> compare(sql, args, runColumn(c.key()), c);
                case DATASET -> {
                    sql.append("EXISTS (SELECT 1 FROM run_inputs d WHERE d.run_id = r.id AND ");
                    compare(
                            sql,
                            args,
                            switch (c.key()) {
                                case "name" -> "d.name";
                                case "digest" -> "d.digest";
                                default -> "(d.tags ->> 'mlflow.data.context')";
                            },
                            c);
                    sql.append(")");
                }
            }
        }
        sql.append(" ORDER BY ");
        for (Order o : order) {
            String dir = o.ascending() ? " ASC NULLS LAST, " : " DESC NULLS LAST, ";
            switch (o.entity()) {
                case METRIC, PARAM, TAG -> {
                    String table = o.entity() == Entity.METRIC
                            ? "run_metric_keys"
                            : o.entity() == Entity.PARAM ? "run_params" : "run_tags";
                    sql.append("(SELECT x.value FROM ").append(table).append(" x WHERE x.run_id = r.id AND x.key = ?)");
                    args.add(o.key());
                }
                default -> sql.append(runColumn(o.key()));
            }
            sql.append(dir);
        }
        sql.append("r.start_time DESC NULLS LAST, r.mlflow_id OFFSET ? LIMIT ?");
        args.add(offset);
        args.add(limit);
        return withData(jdbc.query(sql.toString(), this::run, args.toArray()));
    }

    private static String runColumn(String attribute) {
        return switch (attribute) {
            case "status" -> MLFLOW_STATUS;
            case "run_name" -> "r.name";
            case "run_id" -> "r.mlflow_id";
            case "user_id" -> "r.user_name";
            case "end_time" -> "r.end_time";
            case "lifecycle_stage" -> "r.lifecycle";
            default -> "r.start_time";
        };
    }

    private static String lifecycle(String alias, ViewType view) {
        return switch (view) {
            case ACTIVE_ONLY -> " AND " + alias + ".lifecycle = 'active'";
            case DELETED_ONLY -> " AND " + alias + ".lifecycle = 'deleted'";
            case ALL -> "";
        };
    }

    /** A clause on a key-value table x (metrics' latest values, params, tags). */
    private static void tableClause(StringBuilder sql, List<Object> args, String table, String join, Clause c) {
        boolean absent = c.op().equals("IS NULL");
        sql.append(absent ? "NOT EXISTS" : "EXISTS")
                .append(" (SELECT 1 FROM ")
                .append(table)
                .append(" x WHERE ")
                .append(join)
                .append(" AND x.key = ?");
        args.add(c.key());
        if (!c.op().startsWith("IS")) {
            sql.append(" AND ");
            compare(sql, args, "x.value", c);
        }
        sql.append(")");
    }

    private static void compare(StringBuilder sql, List<Object> args, String column, Clause c) {
        switch (c.op()) {
            case "IS NULL" -> sql.append(column).append(" IS NULL");
            case "IS NOT NULL" -> sql.append(column).append(" IS NOT NULL");
            case "IN", "NOT IN" -> {
                sql.append(c.op().equals("IN") ? "" : "NOT ")
                        .append("(")
                        .append(column)
                        .append("::text = ANY(?::text[]))");
                args.add(((List<?>) c.value()).stream().map(String::valueOf).toArray(String[]::new));
            }
            default -> {
                String op = c.op().equals("!=") ? "<>" : c.op();
                sql.append(column).append(' ').append(op).append(" ?");
                args.add(c.value());
            }
        }
    }

    private ExternalRun run(ResultSet rs) throws SQLException {
        long start = rs.getLong(9);
        Long startTime = rs.wasNull() ? null : start;
        long end = rs.getLong(10);
        Long endTime = rs.wasNull() ? null : end;
        return new ExternalRun(
                new RunRef(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getString(5).equals("deleted")),
                rs.getString(6),
                rs.getString(7),
                RunStatus.fromJsonName(rs.getString(8)),
                startTime,
                endTime,
                List.of(),
                List.of(),
                List.of(),
                List.of());
    }

    /** The runs with their latest metrics, params, tags and inputs, read in four queries for all of them. */
    private List<ExternalRun> withData(List<ExternalRun> runs) {
        if (runs.isEmpty()) {
            return runs;
        }
        Long[] ids = runs.stream().map(r -> r.ref().id()).toArray(Long[]::new);
        Map<Long, List<MetricPoint>> metrics = new HashMap<>();
        jdbc.query(
                "SELECT run_id, key, value, ts, step FROM run_metric_keys WHERE run_id = ANY(?) ORDER BY key",
                rs -> metrics.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new MetricPoint(rs.getString(2), rs.getDouble(3), rs.getLong(4), rs.getLong(5))),
                (Object) ids);
        Map<Long, List<KeyValue>> params = keyValues("run_params", ids);
        Map<Long, List<KeyValue>> tags = keyValues("run_tags", ids);
        Map<Long, List<DatasetInput>> inputs = new HashMap<>();
        jdbc.query(
                "SELECT run_id, name, digest, source_type, source, schema, profile, tags::text FROM run_inputs"
                        + " WHERE run_id = ANY(?) ORDER BY name",
                rs -> {
                    List<KeyValue> t = new ArrayList<>();
                    new io.vertx.core.json.JsonObject(rs.getString(8))
                            .forEach(e -> t.add(new KeyValue(e.getKey(), String.valueOf(e.getValue()))));
                    return inputs.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new DatasetInput(
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7),
                                    t));
                },
                (Object) ids);
        return runs.stream()
                .map(r -> new ExternalRun(
                        r.ref(),
                        r.name(),
                        r.user(),
                        r.status(),
                        r.startTime(),
                        r.endTime(),
                        metrics.getOrDefault(r.ref().id(), List.of()),
                        params.getOrDefault(r.ref().id(), List.of()),
                        tags.getOrDefault(r.ref().id(), List.of()),
                        inputs.getOrDefault(r.ref().id(), List.of())))
                .toList();
    }

    private Map<Long, List<KeyValue>> keyValues(String table, Long[] ids) {
        Map<Long, List<KeyValue>> out = new HashMap<>();
        jdbc.query(
                "SELECT run_id, key, value FROM " + table + " WHERE run_id = ANY(?) ORDER BY key",
                rs -> out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new KeyValue(rs.getString(2), rs.getString(3))),
                (Object) ids);
        return out;
    }

    @Override
    public boolean hasMetric(RunRef ref, String key) {
        return jdbc.one("SELECT 1 FROM run_metric_keys WHERE run_id = ? AND key = ?", rs -> 1, ref.id(), key)
                .isPresent();
    }

    @Override
    public int history(RunRef ref, String key, int offset, int limit, PointSink sink) {
        try (Connection c = jdbc.dataSource().getConnection();
                PreparedStatement ps = Jdbc.prepare(
                        c,
                        "SELECT value, ts, step FROM run_metric_points WHERE key_id ="
                                + " (SELECT id FROM run_metric_keys WHERE run_id = ? AND key = ?)"
                                + " ORDER BY step, ts OFFSET ? LIMIT ?",
                        ref.id(),
                        key,
                        offset,
                        limit)) {
            // server-prepared from the first call, so that the driver reads the numbers in binary, not as text
            ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.point(rs.getDouble(1), rs.getLong(2), rs.getLong(3));
                    n++;
                }
            }
            return n;
        } catch (SQLException e) {
            throw new IllegalStateException("SWL-DB-152 reading a metric history failed", e);
        }
    }

    // --- files

    @Override
    public void putFile(RunRef ref, String path, byte[] content) {
        jdbc.update(
                "INSERT INTO run_files (run_id, path, content) VALUES (?, ?, ?) ON CONFLICT (run_id, path)"
                        + " DO UPDATE SET content = excluded.content, updated_at = now()",
                ref.id(),
                path,
                content);
    }

    @Override
    public Optional<byte[]> file(RunRef ref, String path) {
        return jdbc.one(
                "SELECT content FROM run_files WHERE run_id = ? AND path = ?", rs -> rs.getBytes(1), ref.id(), path);
    }

    @Override
    public List<FileEntry> files(RunRef ref) {
        return jdbc.query(
                "SELECT path, length(content) FROM run_files WHERE run_id = ? ORDER BY path",
                rs -> new FileEntry(rs.getString(1), rs.getLong(2)),
                ref.id());
    }

    private static String[] keys(List<KeyValue> kv) {
        return kv.stream().map(KeyValue::key).toArray(String[]::new);
    }

    private static String[] values(List<KeyValue> kv) {
        return kv.stream().map(KeyValue::value).toArray(String[]::new);
    }
}
