package io.sweeplab.core.sweep;

import io.sweeplab.core.access.AuditLog;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.access.Role;
import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.run.RunRequest;
import io.sweeplab.core.run.RunService;
import io.sweeplab.core.run.RunSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * Launches sweeps. A grid sweep: expands the grid, validates every cell against the plugin schemas before anything is stored
 * (a 400 names the cell and the field), drops duplicate cells, enforces the size limit, and stores the sweep with
 * its runs queued. A search sweep: checks its settings and first trials ({@link SearchDriver}) and stores it with
 * them; the driver adds the others as trials end.
 */
public final class SweepService {

    /** At most this many cell errors are reported; the rest are counted. */
    static final int MAX_REPORTED = 20;

    private final RunService runs;
    private final SweepStore store;
    private final Function<Map<String, Object>, RunRequest> toRequest;
    private final int maxRuns;
    private final Runnable wakeWorkers;
    private final LongConsumer cancelRunning;
    private final AuditLog audit;
    private final io.sweeplab.core.run.RunStore runStore;
    private final SearchDriver search;

    /**
     * @param toRequest reads a run request from its JSON tree; throws {@link InvalidInputException} naming the field
     * @param maxRuns the largest number of cells a sweep may have
     */
    public SweepService(
            RunService runs,
            SweepStore store,
            Function<Map<String, Object>, RunRequest> toRequest,
            int maxRuns,
            Runnable wakeWorkers,
            LongConsumer cancelRunning,
            AuditLog audit,
            io.sweeplab.core.run.RunStore runStore,
            SearchDriver search) {
        this.runs = runs;
        this.store = store;
        this.toRequest = toRequest;
        this.maxRuns = maxRuns;
        this.wakeWorkers = wakeWorkers;
        this.cancelRunning = cancelRunning;
        this.audit = audit;
        this.runStore = runStore;
        this.search = search;
    }

    public int maxRuns() {
        return maxRuns;
    }

    public Sweep launch(Caller caller, SweepRequest r) {
        return launch(caller, r, null);
    }

    /**
     * Validates every cell and stores the sweep with all its runs, in an experiment of a team where the caller is at
     * least a member.
     *
     * @param template the template the sweep comes from, if any
     */
    public Sweep launch(Caller caller, SweepRequest r, String template) {
        if (r == null) {
            throw new InvalidInputException("body", "a JSON object is required");
        }
        runs.requireMemberOfExperiment(caller, r.experiment());
        List<FieldError> errors = new ArrayList<>();
        if (r.experiment() == null) {
            errors.add(new FieldError("experiment", "is required"));
        }
        String name = r.name() == null ? "" : r.name().strip();
        if (name.isEmpty()) {
            errors.add(new FieldError("name", "is required"));
        } else if (name.length() > 200) {
            errors.add(new FieldError("name", "must be at most 200 characters"));
        }
        if (r.base() == null) {
            errors.add(new FieldError("base", "is required: the run request every cell shares"));
        } else if (r.base().containsKey("experiment")) {
            errors.add(new FieldError("base.experiment", "give the experiment at the top level of the sweep"));
        }
        if (r.isSearch()) {
            if (r.grid() != null) {
                errors.add(new FieldError("grid", "give either a grid or a search (strategy and space), not both"));
            }
            Search settings = search.settings(r, maxRuns, errors);
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
            return launchSearch(caller, r, name, settings, template);
        }
        if (r.grid() == null) {
            errors.add(
                    new FieldError("grid", "is required (an empty object for a single run), or a strategy and space"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        long size = Grid.size(r.grid());
        if (size > maxRuns) {
            throw new InvalidInputException(
                    "grid",
                    "expands to " + (size == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : Long.toString(size))
                            + " runs, more than the limit of " + maxRuns + " (sweeplab.sweeps.max-runs)");
        }

        List<SweepStore.PlannedRun> planned = new ArrayList<>();
        Set<RunSpec> seen = new LinkedHashSet<>();
        int bad = 0;
        for (Grid.Cell cell : Grid.expand(r.base(), r.grid())) {
            Map<String, Object> request = new LinkedHashMap<>(cell.request());
            request.put("experiment", r.experiment());
            try {
                RunSpec spec = runs.validate(caller, toRequest.apply(request));
                if (seen.add(spec)) {
                    planned.add(new SweepStore.PlannedRun(spec, cell.assignment()));
                }
            } catch (InvalidInputException e) {
                bad++;
                if (bad <= MAX_REPORTED) {
                    for (FieldError fe : e.errors()) {
                        errors.add(new FieldError(
                                fieldOf(fe.field(), r.grid().keySet(), "grid"),
                                "in cell " + describe(cell.assignment()) + ": " + fe.message()));
                    }
                }
            }
        }
        if (bad > MAX_REPORTED) {
            errors.add(new FieldError("grid", (bad - MAX_REPORTED) + " more cells are invalid"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        runs.requireQueueRoom(runs.teamOfExperiment(caller, r.experiment()), planned.size());
        long id = store.create(r.experiment(), name, r.base(), r.grid(), template, planned);
        Sweep sweep = get(caller, id);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("runs", planned.size());
        if (template != null) {
            details.put("template", template);
        }
        audit.record(caller.name(), "sweep-launch", sweep.team(), "sweep " + id, details);
        wakeWorkers.run();
        return sweep;
    }

    private Sweep launchSearch(Caller caller, SweepRequest r, String name, Search settings, String template) {
        List<SweepStore.NewTrial> first = search.first(caller, r.experiment(), r.base(), settings);
        runs.requireQueueRoom(runs.teamOfExperiment(caller, r.experiment()), first.size());
        long id = store.createSearch(r.experiment(), name, r.base(), settings, template, first);
        Sweep sweep = get(caller, id);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("strategy", settings.strategy().id());
        details.put("maxRuns", settings.budget().maxRuns());
        if (template != null) {
            details.put("template", template);
        }
        audit.record(caller.name(), "sweep-launch", sweep.team(), "sweep " + id, details);
        wakeWorkers.run();
        return sweep;
    }

    /** @throws NotFoundException when there is no such sweep or it belongs to a team the caller does not see */
    public Sweep get(Caller caller, long id) {
        return store.find(id)
                .filter(s -> caller.sees(s.team()))
                .orElseThrow(() -> new NotFoundException("no sweep " + id));
    }

    /** The per-epoch metrics of all of a sweep's runs, by run id. */
    public Map<Long, List<io.sweeplab.core.run.EpochMetric>> metrics(Caller caller, long id) {
        get(caller, id);
        return runStore.sweepMetrics(id);
    }

    /** The names and kinds of the artifacts of all of a sweep's runs, by run id. */
    public Map<Long, List<io.sweeplab.core.run.RunStore.ArtifactInfo>> artifacts(Caller caller, long id) {
        get(caller, id);
        return runStore.sweepArtifacts(id);
    }

    /** Sweeps of one experiment, or of every team the caller sees. */
    public List<Sweep> list(Caller caller, Long experiment) {
        if (experiment != null) {
            runs.teamOfExperiment(caller, experiment);
        }
        return store.list(experiment, caller.visibleTeams());
    }

    /** Deletes a sweep and all its runs, stopping those still running. */
    public void delete(Caller caller, long id) {
        Sweep sweep = get(caller, id);
        caller.require(sweep.team(), Role.MEMBER, "no sweep " + id);
        store.cancel(id).forEach(cancelRunning::accept);
        if (!store.delete(id)) {
            throw new NotFoundException("no sweep " + id);
        }
        audit.record(caller.name(), "sweep-delete", sweep.team(), "sweep " + id, Map.of());
    }

    public Sweep cancel(Caller caller, long id) {
        Sweep sweep = get(caller, id);
        caller.require(sweep.team(), Role.MEMBER, "no sweep " + id);
        if (!sweep.status().equals("queued") && !sweep.status().equals("running")) {
            throw new ConflictException("status", "sweep " + id + " already " + sweep.status());
        }
        store.cancel(id).forEach(cancelRunning::accept);
        audit.record(caller.name(), "sweep-cancel", sweep.team(), "sweep " + id, Map.of());
        return get(caller, id);
    }

    /**
     * Queues again, in one action, every run of the sweep that failed or was cancelled: each starts over from its
     * first epoch with the same spec (its earlier metrics, checkpoints and artifacts are dropped).
     *
     * @return the sweep afterwards
     * @throws ConflictException when no run failed or was cancelled
     */
    public Sweep rerunFailed(Caller caller, long id) {
        Sweep sweep = get(caller, id);
        caller.require(sweep.team(), Role.MEMBER, "no sweep " + id);
        long failed = sweep.runs().stream()
                .filter(r -> r.status() == io.sweeplab.core.run.RunStatus.FAILED
                        || r.status() == io.sweeplab.core.run.RunStatus.CANCELLED)
                .count();
        if (failed == 0) {
            throw new ConflictException("status", "sweep " + id + " has no failed or cancelled runs to re-run");
        }
        runs.requireQueueRoom(sweep.team(), (int) failed);
        List<Long> queued = store.rerun(id);
        audit.record(caller.name(), "sweep-rerun", sweep.team(), "sweep " + id, Map.of("runs", queued.size()));
        wakeWorkers.run();
        return get(caller, id);
    }

    /**
     * Gives a search sweep room for {@code trials} more trials (its budget's maxRuns grows by as many) and lets
     * its strategy propose them.
     *
     * @throws InvalidInputException for a grid sweep or a count outside 1..the sweep size limit
     */
    public Sweep extend(Caller caller, long id, int trials) {
        Sweep sweep = get(caller, id);
        caller.require(sweep.team(), Role.MEMBER, "no sweep " + id);
        if (!sweep.isSearch()) {
            throw new InvalidInputException("trials", "sweep " + id + " is a grid; only a search can be extended");
        }
        int total = sweep.search().budget().maxRuns();
        if (trials < 1 || (long) total + trials > maxRuns) {
            throw new InvalidInputException(
                    "trials",
                    "must be between 1 and " + Math.max(1, maxRuns - total) + ": the sweep has a budget of " + total
                            + " and a sweep has at most " + maxRuns + " runs (sweeplab.sweeps.max-runs)");
        }
        if (!store.extend(id, trials, maxRuns)) {
            throw new ConflictException(
                    "trials", "sweep " + id + " was extended meanwhile: its budget would pass " + maxRuns);
        }
        audit.record(caller.name(), "sweep-extend", sweep.team(), "sweep " + id, Map.of("trials", trials));
        search.advance(id);
        return get(caller, id);
    }

    /**
     * A cell error names the grid key it comes from when the field is one, or holds one (an error on all of
     * {@code params} of a grid over {@code params.units}), else the base field.
     */
    static String fieldOf(String field, Set<String> keys, String prefix) {
        for (String key : keys) {
            if (field.equals(key)
                    || field.startsWith(key + ".")
                    || field.startsWith(key + "[")
                    || key.startsWith(field + ".")) {
                return prefix + "." + key;
            }
        }
        return field.equals("experiment") ? "experiment" : "base." + field;
    }

    static String describe(Map<String, Object> assignment) {
        return assignment.isEmpty()
                ? "{}"
                : assignment.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", ", "{", "}"));
    }
}
