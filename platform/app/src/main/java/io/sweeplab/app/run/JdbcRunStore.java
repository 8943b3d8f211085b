package io.sweeplab.app.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweeplab.app.db.Jdbc;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.run.DatasetProvenance;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.Overfitting;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunSpec;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.core.run.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Runs, metrics, checkpoints and artifacts in PostgreSQL. */
@ApplicationScoped
public class JdbcRunStore implements RunStore {

    private static final String RUN_COLUMNS =
            "r.id, t.slug AS team, r.experiment_id, r.sweep_id, r.cell, r.spec, r.status,"
                    + " r.stop_reason, r.stopped_by, r.stopped_epoch, r.error, r.epochs_done, r.test_loss, r.test_accuracy,"
                    + " r.best_val_epoch, r.best_val_accuracy, r.overfit_onset, r.final_gap, r.best_minus_last,"
                    + " r.summary, r.device, r.worker, coalesce(j.attempts, 0) AS attempts, r.cancel_requested,"
                    + " r.created_at, r.started_at, r.finished_at, r.dataset, r.source, r.mlflow_id, r.name, r.lifecycle"
                    + " FROM runs r JOIN teams t ON t.id = r.team_id LEFT JOIN jobs j ON j.run_id = r.id";

    private static final com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Object>> MAP =
            new com.fasterxml.jackson.core.type.TypeReference<>() {};

    private final Jdbc jdbc;
    private final ObjectMapper json;

    public JdbcRunStore(Jdbc jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    @jakarta.transaction.Transactional
    public Run create(RunSpec spec, Long sweep) {
        long id = jdbc.one(
                        "INSERT INTO runs (team_id, experiment_id, sweep_id, spec, status, architecture)"
                                + " SELECT e.team_id, e.id, ?, ?, 'queued', ? FROM experiments e WHERE e.id = ?"
                                + " RETURNING id",
                        rs -> rs.getLong(1),
                        sweep,
                        new Jdbc.Json(write(spec)),
                        spec.architecture(),
                        spec.experiment())
                .orElseThrow(() -> new NotFoundException("no experiment " + spec.experiment()));
        jdbc.update("INSERT INTO jobs (run_id, state, requires_gpu) VALUES (?, 'queued', ?)", id, spec.requiresGpu());
        return find(id).orElseThrow();
    }

    @Override
    public Optional<Run> find(long id) {
        return withExternalDetails(jdbc.query("SELECT " + RUN_COLUMNS + " WHERE r.id = ?", this::run, id)).stream()
                .findFirst();
    }

    @Override
    public List<Run> list(Long experiment, java.util.Set<String> teams) {
        return withExternalDetails(jdbc.query(
                "SELECT " + RUN_COLUMNS + " WHERE (?::bigint IS NULL OR r.experiment_id = ?::bigint)"
                        + " AND (?::text[] IS NULL OR t.slug = ANY(?::text[])) ORDER BY r.id DESC",
                this::run,
                experiment,
                experiment,
                teamArray(teams),
                teamArray(teams)));
    }

    /** External runs (migration V14) get their params, tags and metric names, in three reads for all of them. */
    private List<Run> withExternalDetails(List<Run> runs) {
        Long[] ids =
                runs.stream().filter(r -> r.external() != null).map(Run::id).toArray(Long[]::new);
        if (ids.length == 0) {
            return runs;
        }
        java.util.Map<Long, java.util.Map<String, String>> params = keyValues("run_params", ids);
        java.util.Map<Long, java.util.Map<String, String>> tags = keyValues("run_tags", ids);
        java.util.Map<Long, List<String>> keys = new java.util.HashMap<>();
        jdbc.query(
                "SELECT run_id, key FROM run_metric_keys WHERE run_id = ANY(?) ORDER BY key",
                rs -> keys.computeIfAbsent(rs.getLong(1), k -> new java.util.ArrayList<>())
                        .add(rs.getString(2)),
                (Object) ids);
        return runs.stream()
                .map(r -> {
                    if (r.external() == null) {
                        return r;
                    }
                    var p = params.getOrDefault(r.id(), java.util.Map.of());
                    var e = new io.sweeplab.core.run.ExternalDetails(
                            r.external().mlflowRunId(),
                            r.external().name(),
                            r.external().lifecycle(),
                            p,
                            tags.getOrDefault(r.id(), java.util.Map.of()),
                            keys.getOrDefault(r.id(), List.of()));
                    return new Run(
                            r.id(),
                            r.team(),
                            r.experiment(),
                            r.sweep(),
                            r.cell(),
                            RunSpec.external(r.experiment(), new java.util.TreeMap<>(p)),
                            r.status(),
                            r.stopReason(),
                            r.stoppedBy(),
                            r.stoppedEpoch(),
                            r.error(),
                            r.epochsDone(),
                            r.testLoss(),
                            r.testAccuracy(),
                            r.overfitting(),
                            r.summary(),
                            r.device(),
                            r.worker(),
                            r.attempts(),
                            r.cancelRequested(),
                            r.createdAt(),
                            r.startedAt(),
                            r.finishedAt(),
                            r.dataset(),
                            e);
                })
                .toList();
    }

    private java.util.Map<Long, java.util.Map<String, String>> keyValues(String table, Long[] ids) {
        java.util.Map<Long, java.util.Map<String, String>> out = new java.util.HashMap<>();
        jdbc.query(
                "SELECT run_id, key, value FROM " + table + " WHERE run_id = ANY(?) ORDER BY key",
                rs -> out.computeIfAbsent(rs.getLong(1), k -> new java.util.TreeMap<>())
                        .put(rs.getString(2), rs.getString(3)),
                (Object) ids);
        return out;
    }

    @Override
    public int queued(String team) {
        return jdbc.one(
                        "SELECT count(*) FROM runs r JOIN teams t ON t.id = r.team_id"
                                + " WHERE t.slug = ? AND r.status = 'queued' AND r.source = 'trained'",
                        rs -> rs.getInt(1),
                        team)
                .orElse(0);
    }

    /** The teams filter as a SQL array; null (no filter) for all teams. */
    public static String[] teamArray(java.util.Set<String> teams) {
        return teams == null ? null : teams.toArray(String[]::new);
    }

    @Override
    @jakarta.transaction.Transactional
    public boolean delete(long id) {
        List<String> files = jdbc.query("SELECT path FROM run_checkpoints WHERE run_id = ?", rs -> rs.getString(1), id);
        boolean existed = jdbc.update("DELETE FROM runs WHERE id = ?", id) > 0;
        io.sweeplab.app.db.CheckpointFiles.delete(files);
        return existed;
    }

    @Override
    public java.util.Map<Long, List<EpochMetric>> sweepMetrics(long sweep) {
        java.util.Map<Long, List<EpochMetric>> out = new java.util.HashMap<>();
        jdbc.query(
                "SELECT m.run_id, m.epoch, m.train_loss, m.train_accuracy, m.val_loss, m.val_accuracy, m.seconds,"
                        + " m.images_per_second FROM run_metrics m JOIN runs r ON r.id = m.run_id"
                        + " WHERE r.sweep_id = ? ORDER BY m.run_id, m.epoch",
                rs -> {
                    out.computeIfAbsent(rs.getLong(1), k -> new java.util.ArrayList<>())
                            .add(new EpochMetric(
                                    rs.getInt(2),
                                    rs.getDouble(3),
                                    rs.getDouble(4),
                                    rs.getDouble(5),
                                    rs.getDouble(6),
                                    rs.getDouble(7),
                                    rs.getDouble(8)));
                    return 0;
                },
                sweep);
        return out;
    }

    @Override
    public List<EpochMetric> metrics(long run) {
        return jdbc.query(
                "SELECT epoch, train_loss, train_accuracy, val_loss, val_accuracy, seconds, images_per_second"
                        + " FROM run_metrics WHERE run_id = ? ORDER BY epoch",
                rs -> new EpochMetric(
                        rs.getInt(1),
                        rs.getDouble(2),
                        rs.getDouble(3),
                        rs.getDouble(4),
                        rs.getDouble(5),
                        rs.getDouble(6),
                        rs.getDouble(7)),
                run);
    }

    @Override
    @jakarta.transaction.Transactional
    public Optional<Run> requestCancel(long id) {
        jdbc.update("UPDATE jobs SET state = 'done', updated_at = now() WHERE run_id = ? AND state = 'queued'", id);
        jdbc.update(
                "UPDATE runs SET"
                        + " cancel_requested = cancel_requested OR status = 'running',"
                        + " stop_reason = CASE WHEN status = 'queued' THEN 'cancelled before it started' ELSE stop_reason END,"
                        + " finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END,"
                        + " status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END"
                        + " WHERE id = ?",
                id);
        return find(id);
    }

    @Override
    public Optional<byte[]> artifact(long run, String name) {
        return jdbc.one(
                "SELECT content FROM run_artifacts WHERE run_id = ? AND name = ?", rs -> rs.getBytes(1), run, name);
    }

    @Override
    public List<ArtifactInfo> artifacts(long run) {
        return jdbc.query(
                "SELECT name, kind, length(content) FROM run_artifacts WHERE run_id = ? ORDER BY name",
                rs -> new ArtifactInfo(rs.getString(1), rs.getString(2), rs.getLong(3)),
                run);
    }

    @Override
    public java.util.Map<Long, List<ArtifactInfo>> sweepArtifacts(long sweep) {
        java.util.Map<Long, List<ArtifactInfo>> out = new java.util.LinkedHashMap<>();
        jdbc.query(
                "SELECT a.run_id, a.name, a.kind, length(a.content) FROM run_artifacts a JOIN runs r ON r.id = a.run_id"
                        + " WHERE r.sweep_id = ? ORDER BY a.run_id, a.name",
                rs -> {
                    out.computeIfAbsent(rs.getLong(1), k -> new java.util.ArrayList<>())
                            .add(new ArtifactInfo(rs.getString(2), rs.getString(3), rs.getLong(4)));
                    return null;
                },
                sweep);
        return out;
    }

    private Run run(ResultSet rs) throws SQLException {
        long sweep = rs.getLong("sweep_id");
        Long sweepId = rs.wasNull() ? null : sweep;
        String summary = rs.getString("summary");
        String cell = rs.getString("cell");
        String dataset = rs.getString("dataset");
        String spec = rs.getString("spec");
        boolean external = rs.getString("source").equals("external");
        return new Run(
                rs.getLong("id"),
                rs.getString("team"),
                rs.getLong("experiment_id"),
                sweepId,
                cell == null ? null : read(cell, MAP),
                external
                        ? RunSpec.external(rs.getLong("experiment_id"), java.util.Map.of())
                        : read(spec, RunSpec.class),
                RunStatus.fromJsonName(rs.getString("status")),
                rs.getString("stop_reason"),
                rs.getString("stopped_by"),
                Jdbc.intOrNull(rs, "stopped_epoch"),
                rs.getString("error"),
                rs.getInt("epochs_done"),
                Jdbc.doubleOrNull(rs, "test_loss"),
                Jdbc.doubleOrNull(rs, "test_accuracy"),
                overfitting(rs),
                summary == null ? null : read(summary, ModelSummary.class),
                rs.getString("device"),
                rs.getString("worker"),
                rs.getInt("attempts"),
                rs.getBoolean("cancel_requested"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "started_at"),
                Jdbc.instant(rs, "finished_at"),
                dataset == null ? null : read(dataset, DatasetProvenance.class),
                external
                        ? new io.sweeplab.core.run.ExternalDetails(
                                rs.getString("mlflow_id"),
                                rs.getString("name"),
                                rs.getString("lifecycle"),
                                java.util.Map.of(),
                                java.util.Map.of(),
                                List.of())
                        : null);
    }

    private static Overfitting overfitting(ResultSet rs) throws SQLException {
        Integer best = Jdbc.intOrNull(rs, "best_val_epoch");
        if (best == null) {
            return null;
        }
        Integer onset = Jdbc.intOrNull(rs, "overfit_onset");
        return new Overfitting(
                onset == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(onset),
                best,
                rs.getDouble("best_val_accuracy"),
                rs.getDouble("final_gap"),
                rs.getDouble("best_minus_last"));
    }

    /**
     * Stores what the run's recorded epochs say about overfitting, recomputed from all of them with
     * {@link Overfitting#of} (the one place that reads curves so); nulls while it has none. Call it in the
     * transaction that recorded an epoch, holding the run's row, so that a concurrent epoch cannot be missed.
     */
    public void storeOverfitting(long run) {
        List<EpochMetric> m = metrics(run);
        Overfitting o = m.isEmpty() ? null : Overfitting.of(m);
        jdbc.update(
                "UPDATE runs SET best_val_epoch = ?, best_val_accuracy = ?, overfit_onset = ?, final_gap = ?,"
                        + " best_minus_last = ? WHERE id = ?",
                o == null ? null : o.bestValEpoch(),
                o == null ? null : o.bestValAccuracy(),
                o == null || o.onset().isEmpty() ? null : o.onset().getAsInt(),
                o == null ? null : o.finalGap(),
                o == null ? null : o.bestMinusLast(),
                run);
    }

    /**
     * {@link #storeOverfitting} for a run that has none stored yet; a run whose epoch was recorded meanwhile already
     * has its values, which this leaves alone.
     *
     * @return whether it stored them
     */
    @jakarta.transaction.Transactional
    public boolean storeMissingOverfitting(long run) {
        boolean missing = jdbc.one(
                        "SELECT 1 FROM runs WHERE id = ? AND best_val_epoch IS NULL FOR NO KEY UPDATE", rs -> 1, run)
                .isPresent();
        if (missing) {
            storeOverfitting(run);
        }
        return missing;
    }

    /** The runs of a sweep, in the order of its cells. */
    public List<Run> bySweep(long sweep) {
        return jdbc.query("SELECT " + RUN_COLUMNS + " WHERE r.sweep_id = ? ORDER BY r.id", this::run, sweep);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "SWL-DB-110 cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("SWL-DB-111 stored " + type.getSimpleName() + " cannot be read", e);
        }
    }

    private <T> T read(String text, com.fasterxml.jackson.core.type.TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("SWL-DB-111 stored value cannot be read", e);
        }
    }
}
