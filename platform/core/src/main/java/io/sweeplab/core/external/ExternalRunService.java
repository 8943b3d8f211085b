package io.sweeplab.core.external;

import io.sweeplab.core.access.AuditLog;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.access.Role;
import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.core.team.Experiment;
import io.sweeplab.core.team.TeamService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Runs trained elsewhere, as MLflow clients log them: the protocol's rules (its limits, immutable params, names,
 * lifecycles) and the caller's teams and roles. An MLflow experiment is a Sweeplab experiment named
 * {@code <team-slug>/<name>}; a name without a slash means the caller's only team. Another team's experiments and
 * runs do not exist for the caller.
 */
public final class ExternalRunService {

    /** MLflow's limits on one log-batch call. */
    public static final int MAX_METRICS = 1000;

    public static final int MAX_PARAMS = 100;
    public static final int MAX_TAGS = 100;
    public static final int MAX_ENTITIES = 1000;

    public static final int MAX_KEY = 250;
    public static final int MAX_PARAM_VALUE = 6000;
    public static final int MAX_TAG_VALUE = 8000;
    public static final int MAX_RESULTS = 50_000;

    /** The tag MLflow keeps a run's name in, besides run_name. */
    public static final String RUN_NAME_TAG = "mlflow.runName";

    public static final Set<String> RUN_NUMERIC_ATTRIBUTES = Set.of("start_time", "end_time", "created");
    public static final Set<String> EXPERIMENT_NUMERIC_ATTRIBUTES = Set.of("creation_time", "last_update_time");

    /** MLflow's rule for metric, param and tag names: letters, digits, _ - . space / and :. */
    private static final Pattern NAME = Pattern.compile("[\\w./\\- :]+", Pattern.UNICODE_CHARACTER_CLASS);

    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{32}");

    /** The latest time PostgreSQL's timestamps hold well: the end of year 9999, in ms. */
    private static final long MAX_TIME = 253_402_300_799_999L;

    private final ExternalRunStore store;
    private final TeamService teams;
    private final AuditLog audit;
    private final Clock clock;
    private final Supplier<UUID> ids;

    public ExternalRunService(ExternalRunStore store, TeamService teams, AuditLog audit, Clock clock) {
        this(store, teams, audit, clock, UUID::randomUUID);
    }

    ExternalRunService(ExternalRunStore store, TeamService teams, AuditLog audit, Clock clock, Supplier<UUID> ids) {
        this.store = store;
        this.teams = teams;
        this.audit = audit;
        this.clock = clock;
        this.ids = ids;
    }

    // --- experiments

    /** {team, name} of an MLflow experiment name. */
    private String[] split(Caller caller, String field, String mlflowName) {
        if (mlflowName == null || mlflowName.isBlank()) {
            throw new InvalidInputException(field, "is required: '<team-slug>/<experiment name>'");
        }
        int slash = mlflowName.indexOf('/');
        if (slash < 0) {
            if (caller.teams().size() != 1) {
                throw new InvalidInputException(
                        field,
                        "name the experiment '<team-slug>/" + mlflowName + "': "
                                + (caller.teams().isEmpty()
                                        ? "you are in no team"
                                        : "you are in the teams "
                                                + String.join(
                                                        ", ",
                                                        new java.util.TreeSet<>(
                                                                caller.teams().keySet()))));
            }
            return new String[] {caller.teams().keySet().iterator().next(), mlflowName.strip()};
        }
        String team = mlflowName.substring(0, slash);
        if (!caller.sees(team) || !teams.exists(team)) {
            throw new NotFoundException("no team '" + team + "' (name experiments '<team-slug>/<experiment name>')");
        }
        return new String[] {team, mlflowName.substring(slash + 1).strip()};
    }

    public MlflowExperiment createExperiment(Caller caller, String mlflowName, List<KeyValue> tags) {
        String[] tn = split(caller, "name", mlflowName);
        List<KeyValue> t = checkTags("tags", tags, MAX_TAGS);
        Experiment e = teams.createExperiment(caller, tn[0], null, tn[1], "");
        if (!t.isEmpty()) {
            store.setExperimentTags(e.id(), t);
        }
        return store.experiment(e.id()).orElseThrow();
    }

    public MlflowExperiment experiment(Caller caller, String id) {
        long n = experimentId("experiment_id", id);
        return store.experiment(n)
                .filter(e -> caller.sees(e.team()))
                .orElseThrow(() -> new NotFoundException("No Experiment with id=" + id + " exists"));
    }

    public MlflowExperiment experimentByName(Caller caller, String mlflowName) {
        String[] tn;
        try {
            tn = split(caller, "experiment_name", mlflowName);
        } catch (NotFoundException e) {
            throw new NotFoundException("Could not find experiment with name '" + mlflowName + "'");
        }
        List<MlflowExperiment> found = store.experimentsNamed(tn[0], tn[1]);
        return found.stream()
                .filter(e -> !e.deleted())
                .findFirst()
                .or(() -> found.stream().findFirst())
                .orElseThrow(() -> new NotFoundException("Could not find experiment with name '" + mlflowName + "'"));
    }

    /** One page (and one more, to tell whether there is a next). */
    public List<MlflowExperiment> searchExperiments(
            Caller caller, String filter, List<String> orderBy, ViewType view, int offset, int limit) {
        checkMaxResults(limit);
        var clauses = SearchFilter.parse("filter", filter, EXPERIMENT_NUMERIC_ATTRIBUTES);
        for (var c : clauses) {
            if (c.entity() != SearchFilter.Entity.ATTRIBUTE && c.entity() != SearchFilter.Entity.TAG) {
                throw new InvalidInputException(
                        "filter",
                        "experiments are searched by name, tags." + ", creation_time and last_update_time, not by "
                                + c.entity().name().toLowerCase() + "s");
            }
            if (c.entity() == SearchFilter.Entity.ATTRIBUTE
                    && !Set.of("name", "creation_time", "last_update_time").contains(c.key())) {
                throw new InvalidInputException("filter", "unknown experiment attribute '" + c.key() + "'");
            }
        }
        var order = SearchFilter.orderBy("order_by", orderBy);
        for (var o : order) {
            if (o.entity() != SearchFilter.Entity.ATTRIBUTE
                    || !Set.of("name", "experiment_id", "creation_time", "last_update_time")
                            .contains(o.key())) {
                throw new InvalidInputException(
                        "order_by",
                        "experiments are ordered by name, experiment_id, creation_time or last_update_time");
            }
        }
        return store.experiments(caller.visibleTeams(), clauses, order, view, offset, limit + 1);
    }

    public void deleteExperiment(Caller caller, String id) {
        MlflowExperiment e = writableExperiment(caller, id);
        store.setExperimentDeleted(e.id(), true);
        audit.record(caller.name(), "experiment-delete", e.team(), "experiment " + e.id(), Map.of("via", "mlflow"));
    }

    public void restoreExperiment(Caller caller, String id) {
        MlflowExperiment e = writableExperiment(caller, id);
        store.setExperimentDeleted(e.id(), false);
    }

    public void renameExperiment(Caller caller, String id, String newName) {
        MlflowExperiment e = writableExperiment(caller, id);
        if (newName == null || newName.isBlank()) {
            throw new InvalidInputException("new_name", "is required");
        }
        String name = newName.strip();
        if (name.startsWith(e.team() + "/")) {
            name = name.substring(e.team().length() + 1);
        } else if (name.contains("/")) {
            throw new InvalidInputException("new_name", "an experiment stays in its team: '" + e.team() + "/<name>'");
        }
        if (name.isEmpty() || name.length() > 200) {
            throw new InvalidInputException("new_name", "must be 1 to 200 characters");
        }
        store.renameExperiment(e.id(), name);
    }

    public void setExperimentTag(Caller caller, String id, String key, String value) {
        MlflowExperiment e = writableExperiment(caller, id);
        store.setExperimentTags(e.id(), checkTags("tags", List.of(new KeyValue(key, value)), 1));
    }

    private MlflowExperiment writableExperiment(Caller caller, String id) {
        MlflowExperiment e = experiment(caller, id);
        caller.require(e.team(), Role.MEMBER, "No Experiment with id=" + id + " exists");
        return e;
    }

    // --- runs

    public ExternalRun createRun(
            Caller caller, String experimentId, String runName, String user, Long startTime, List<KeyValue> tags) {
        MlflowExperiment e = writableExperiment(caller, experimentId);
        if (e.deleted()) {
            throw new InvalidInputException(
                    "experiment_id", "The experiment " + e.id() + " must be in the 'active' state");
        }
        List<KeyValue> t = new ArrayList<>(checkTags("tags", tags, MAX_TAGS));
        String name = runName == null || runName.isBlank()
                ? t.stream()
                        .filter(kv -> kv.key().equals(RUN_NAME_TAG))
                        .map(KeyValue::value)
                        .findFirst()
                        .orElse(null)
                : runName.strip();
        String id = ids.get().toString().replace("-", "");
        if (name == null || name.isBlank()) {
            name = "run-" + id.substring(0, 8);
        }
        if (name.length() > MAX_KEY) {
            throw new InvalidInputException("run_name", "must be at most " + MAX_KEY + " characters");
        }
        String finalName = name;
        t.removeIf(kv -> kv.key().equals(RUN_NAME_TAG));
        t.add(new KeyValue(RUN_NAME_TAG, finalName));
        String u = user != null && !user.isBlank()
                ? user
                : t.stream()
                        .filter(kv -> kv.key().equals("mlflow.user"))
                        .map(KeyValue::value)
                        .findFirst()
                        .orElse(caller.name());
        if (u.length() > MAX_KEY) {
            throw new InvalidInputException("user_id", "must be at most " + MAX_KEY + " characters");
        }
        checkTime("start_time", startTime);
        RunRef ref = store.createRun(e.id(), id, finalName, u, startTime == null ? clock.millis() : startTime, t);
        return store.run(ref);
    }

    public ExternalRun run(Caller caller, String runId) {
        return store.run(readable(caller, runId));
    }

    public ExternalRun updateRun(Caller caller, String runId, String status, Long endTime, String runName) {
        RunRef ref = active(caller, runId);
        RunStatus s = status == null || status.isEmpty() ? null : ExternalStatus.sweeplab("status", status);
        checkTime("end_time", endTime);
        String name = runName == null || runName.isBlank() ? null : runName.strip();
        if (name != null && name.length() > MAX_KEY) {
            throw new InvalidInputException("run_name", "must be at most " + MAX_KEY + " characters");
        }
        store.updateRun(ref, s, endTime, name);
        if (name != null) {
            store.log(ref, List.of(), List.of(), List.of(new KeyValue(RUN_NAME_TAG, name)));
        }
        return store.run(ref);
    }

    public void deleteRun(Caller caller, String runId) {
        RunRef ref = writable(caller, runId);
        store.setRunDeleted(ref, true);
    }

    public void restoreRun(Caller caller, String runId) {
        RunRef ref = writable(caller, runId);
        store.setRunDeleted(ref, false);
    }

    /** log-batch, and log-metric, log-parameter and set-tag as batches of one. */
    public void log(
            Caller caller, String runId, List<MetricPoint> metrics, List<KeyValue> params, List<KeyValue> tags) {
        List<FieldError> errors = new ArrayList<>();
        if (metrics.size() > MAX_METRICS) {
            errors.add(new FieldError(
                    "metrics",
                    "A batch logging request can contain at most " + MAX_METRICS + " metrics. Got " + metrics.size()
                            + " metrics."));
        }
        if (params.size() > MAX_PARAMS) {
            errors.add(new FieldError(
                    "params",
                    "A batch logging request can contain at most " + MAX_PARAMS + " params. Got " + params.size()
                            + " params."));
        }
        if (tags.size() > MAX_TAGS) {
            errors.add(new FieldError(
                    "tags",
                    "A batch logging request can contain at most " + MAX_TAGS + " tags. Got " + tags.size()
                            + " tags."));
        }
        int total = metrics.size() + params.size() + tags.size();
        if (total > MAX_ENTITIES) {
            errors.add(new FieldError(
                    "metrics",
                    "A batch logging request can contain at most " + MAX_ENTITIES
                            + " metrics, params and tags in total. Got " + total + "."));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        for (int i = 0; i < metrics.size(); i++) {
            checkKey("metrics[" + i + "].key", metrics.get(i).key());
        }
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < params.size(); i++) {
            KeyValue p = params.get(i);
            checkKey("params[" + i + "].key", p.key());
            checkValue("params[" + i + "].value", p.value(), MAX_PARAM_VALUE);
            String before = seen.put(p.key(), p.value());
            if (before != null && !before.equals(p.value())) {
                throw new InvalidInputException(
                        "params",
                        "Duplicate parameter keys have been submitted: '" + p.key() + "' with values '" + before
                                + "' and '" + p.value() + "'");
            }
        }
        List<KeyValue> t = checkTags("tags", tags, MAX_TAGS);
        RunRef ref = active(caller, runId);
        store.log(ref, metrics, params, t);
        t.stream()
                .filter(kv -> kv.key().equals(RUN_NAME_TAG))
                .reduce((a, b) -> b)
                .ifPresent(kv -> store.updateRun(ref, null, null, kv.value()));
    }

    public void deleteTag(Caller caller, String runId, String key) {
        RunRef ref = active(caller, runId);
        checkKey("key", key);
        if (!store.deleteTag(ref, key)) {
            throw new NotFoundException("No tag with name: " + key + " in run with id " + runId);
        }
    }

    public void logInputs(Caller caller, String runId, List<DatasetInput> inputs) {
        RunRef ref = active(caller, runId);
        for (int i = 0; i < inputs.size(); i++) {
            DatasetInput d = inputs.get(i);
            String f = "datasets[" + i + "].dataset.";
            require(f + "name", d.name(), 500);
            require(f + "digest", d.digest(), 36);
            require(f + "source_type", d.sourceType(), 500);
            require(f + "source", d.source(), 65_535);
            checkTags("datasets[" + i + "].tags", d.tags(), MAX_TAGS);
        }
        store.logInputs(ref, inputs);
    }

    /** One page (and one more, to tell whether there is a next). */
    public List<ExternalRun> search(
            Caller caller,
            List<String> experimentIds,
            String filter,
            ViewType view,
            int offset,
            int limit,
            List<String> orderBy) {
        checkMaxResults(limit);
        List<Long> exps = new ArrayList<>();
        for (String id : experimentIds) {
            exps.add(experimentId("experiment_ids", id));
        }
        var clauses = SearchFilter.parse("filter", filter, RUN_NUMERIC_ATTRIBUTES);
        for (var c : clauses) {
            if (c.entity() == SearchFilter.Entity.ATTRIBUTE
                    && !Set.of(
                                    "status",
                                    "run_name",
                                    "run_id",
                                    "user_id",
                                    "start_time",
                                    "end_time",
                                    "created",
                                    "lifecycle_stage")
                            .contains(c.key())) {
                throw new InvalidInputException(
                        "filter",
                        "unknown run attribute '" + c.key()
                                + "' (status, run_name, run_id, user_id, start_time, end_time)");
            }
            if (c.entity() == SearchFilter.Entity.DATASET
                    && !Set.of("name", "digest", "context").contains(c.key())) {
                throw new InvalidInputException("filter", "datasets are searched by name, digest or context");
            }
            if (c.entity() == SearchFilter.Entity.ATTRIBUTE && c.key().equals("status")) {
                List<String> values = c.value() instanceof List<?> l
                        ? l.stream().map(String::valueOf).toList()
                        : c.value() == null ? List.of() : List.of(String.valueOf(c.value()));
                if (!c.op().contains("LIKE")) {
                    values.forEach(v -> ExternalStatus.sweeplab("filter", v));
                }
            }
        }
        var order = SearchFilter.orderBy("order_by", orderBy);
        for (var o : order) {
            if (o.entity() == SearchFilter.Entity.DATASET
                    || (o.entity() == SearchFilter.Entity.ATTRIBUTE
                            && !Set.of("status", "run_name", "run_id", "user_id", "start_time", "end_time", "created")
                                    .contains(o.key()))) {
                throw new InvalidInputException("order_by", "cannot order runs by '" + o.key() + "'");
            }
        }
        return store.search(caller.visibleTeams(), exps, clauses, order, view, offset, limit + 1);
    }

    /** @return how many points it gave the sink */
    public int history(
            Caller caller, String runId, String key, int offset, int limit, ExternalRunStore.PointSink sink) {
        if (key == null || key.isEmpty()) {
            throw new InvalidInputException("metric_key", "Missing value for required parameter 'metric_key'");
        }
        RunRef ref = readable(caller, runId);
        return store.history(ref, key, offset, limit, sink);
    }

    // --- files (the artifact proxy)

    public void putFile(Caller caller, String runId, String path, byte[] content) {
        RunRef ref = active(caller, runId);
        store.putFile(ref, checkPath(path), content);
    }

    public Optional<byte[]> file(Caller caller, String runId, String path) {
        return store.file(readable(caller, runId), checkPath(path));
    }

    /** The files and directories directly under {@code dir} ("" for the root), each with its path relative to it. */
    public List<ExternalRunStore.FileEntry> list(Caller caller, String runId, String dir) {
        RunRef ref = readable(caller, runId);
        String prefix = dir == null || dir.isEmpty() ? "" : checkPath(dir) + "/";
        java.util.TreeMap<String, Long> out = new java.util.TreeMap<>();
        for (var f : store.files(ref)) {
            if (f.path().startsWith(prefix)) {
                String rest = f.path().substring(prefix.length());
                int slash = rest.indexOf('/');
                out.put(slash < 0 ? rest : rest.substring(0, slash) + "/", slash < 0 ? f.size() : -1L);
            }
        }
        List<ExternalRunStore.FileEntry> list = new ArrayList<>();
        out.forEach((k, v) -> list.add(new ExternalRunStore.FileEntry(k, v)));
        return list;
    }

    /** A path under a run's artifact root: relative, no {@code ..}, no empty parts. */
    public static String checkPath(String path) {
        if (path == null
                || path.isEmpty()
                || path.length() > 1000
                || path.startsWith("/")
                || path.endsWith("/")
                || path.contains("//")
                || path.contains("\\")
                || path.chars().anyMatch(c -> c < 0x20)
                || ("/" + path + "/").contains("/../")
                || ("/" + path + "/").contains("/./")) {
            throw new InvalidInputException(
                    "path", "must be a relative path of at most 1000 characters, without '..', '.' or empty parts");
        }
        return path;
    }

    // --- access and checks

    private RunRef readable(Caller caller, String runId) {
        if (runId == null || runId.isEmpty()) {
            throw new InvalidInputException("run_id", "Missing value for required parameter 'run_id'");
        }
        if (!RUN_ID.matcher(runId).matches()) {
            throw new NotFoundException("Run '" + runId + "' not found");
        }
        return store.ref(runId)
                .filter(r -> caller.sees(r.team()))
                .orElseThrow(() -> new NotFoundException("Run '" + runId + "' not found"));
    }

    private RunRef writable(Caller caller, String runId) {
        RunRef ref = readable(caller, runId);
        caller.require(ref.team(), Role.MEMBER, "Run '" + runId + "' not found");
        return ref;
    }

    private RunRef active(Caller caller, String runId) {
        RunRef ref = writable(caller, runId);
        if (ref.deleted()) {
            throw new InvalidInputException(
                    "run_id", "The run " + runId + " must be in the 'active' state. Current state is deleted.");
        }
        return ref;
    }

    private static long experimentId(String field, String id) {
        if (id == null || id.isEmpty()) {
            throw new InvalidInputException(field, "Missing value for required parameter '" + field + "'");
        }
        if (!id.matches("[0-9]{1,18}")) {
            throw new NotFoundException("No Experiment with id=" + id + " exists");
        }
        return Long.parseLong(id);
    }

    private static void checkTime(String field, Long ms) {
        if (ms != null && (ms < 0 || ms > MAX_TIME)) {
            throw new InvalidInputException(field, "must be ms since 1970, from 0 to " + MAX_TIME + ", not " + ms);
        }
    }

    private static void checkMaxResults(int limit) {
        if (limit < 1 || limit > MAX_RESULTS) {
            throw new InvalidInputException(
                    "max_results",
                    "Invalid value " + limit + " for parameter 'max_results': it must be 1 to " + MAX_RESULTS);
        }
    }

    private static void checkKey(String field, String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidInputException(field, "Missing value for required parameter '" + field + "'");
        }
        if (key.length() > MAX_KEY) {
            throw new InvalidInputException(field, "must be at most " + MAX_KEY + " characters");
        }
        if (!NAME.matcher(key).matches() || key.startsWith("/") || key.equals(".") || key.contains("..")) {
            throw new InvalidInputException(
                    field,
                    "Invalid name '" + key + "': names may only contain alphanumerics, underscores (_), dashes (-),"
                            + " periods (.), spaces ( ), colons (:) and slashes (/), and may not start with / or"
                            + " contain ..");
        }
    }

    private static void checkValue(String field, String value, int max) {
        if (value == null) {
            throw new InvalidInputException(field, "Missing value for required parameter '" + field + "'");
        }
        if (value.length() > max) {
            throw new InvalidInputException(field, "must be at most " + max + " characters, got " + value.length());
        }
        if (value.indexOf('\0') >= 0) {
            throw new InvalidInputException(field, "a NUL character (\\u0000) is not allowed");
        }
    }

    private static void require(String field, String value, int max) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException(field, "Missing value for required parameter '" + field + "'");
        }
        checkValue(field, value, max);
    }

    private static List<KeyValue> checkTags(String field, List<KeyValue> tags, int max) {
        if (tags == null) {
            return List.of();
        }
        if (tags.size() > max) {
            throw new InvalidInputException(field, "at most " + max + " tags, got " + tags.size());
        }
        Map<String, String> last = new java.util.LinkedHashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            checkKey(field + "[" + i + "].key", tags.get(i).key());
            checkValue(field + "[" + i + "].value", tags.get(i).value(), MAX_TAG_VALUE);
            last.put(tags.get(i).key(), tags.get(i).value());
        }
        List<KeyValue> out = new ArrayList<>();
        last.forEach((k, v) -> out.add(new KeyValue(k, v)));
        return out;
    }
}
