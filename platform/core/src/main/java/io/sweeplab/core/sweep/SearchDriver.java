package io.sweeplab.core.sweep;

import io.sweeplab.core.access.Caller;
import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.plugin.ExtensionType;
import io.sweeplab.core.plugin.Guard;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ExtensionUse;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunRequest;
import io.sweeplab.core.run.RunService;
import io.sweeplab.core.run.RunSpec;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.core.run.RunStore;
import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.Objective;
import io.sweeplab.plugin.api.ParamViolation;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.SchedulerContext;
import io.sweeplab.plugin.api.SearchContext;
import io.sweeplab.plugin.api.SearchSpace;
import io.sweeplab.plugin.api.SweepStrategy;
import io.sweeplab.plugin.api.Trial;
import io.sweeplab.plugin.api.TrialScheduler;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Runs search sweeps: checks a search's settings at launch, asks its strategy for trials whenever there is room
 * (a trial ended, the sweep was extended, the platform restarted) and its scheduler after each epoch of a trial.
 * Everything it knows comes from the database each time, through {@link SweepStore#advance}, which holds the
 * sweep's row while trials are added: a restarted or second platform continues a search where it stood, and no
 * trial is lost or doubled.
 */
public final class SearchDriver {

    private static final System.Logger LOG = System.getLogger(SearchDriver.class.getName());

    /** The most dimensions a search space may have. */
    static final int MAX_DIMENSIONS = 32;

    /** The most trials that may be unfinished at once. */
    static final int MAX_PARALLELISM = 64;

    static final int DEFAULT_PARALLELISM = 2;

    /** At launch, at most this many values of each choice are validated on top of the first trial. */
    static final int CHECKED_CHOICES = 32;

    private final SweepStore store;
    private final RunStore runStore;
    private final RunService runs;
    private final Function<Map<String, Object>, RunRequest> toRequest;
    private final Runnable wakeWorkers;
    private final LongConsumer stopRunning;
    private final Clock clock;

    /**
     * @param toRequest reads a run request from its JSON tree; throws {@link InvalidInputException} naming the field
     * @param stopRunning called with a running run's id once a scheduler asked it to stop, to reach its worker at once
     */
    public SearchDriver(
            SweepStore store,
            RunStore runStore,
            RunService runs,
            Function<Map<String, Object>, RunRequest> toRequest,
            Runnable wakeWorkers,
            LongConsumer stopRunning,
            Clock clock) {
        this.store = store;
        this.runStore = runStore;
        this.runs = runs;
        this.toRequest = toRequest;
        this.wakeWorkers = wakeWorkers;
        this.stopRunning = stopRunning;
        this.clock = clock;
    }

    /**
     * Checks a search request's settings, adding an error per bad field.
     *
     * @return the search (without trials), or null when some setting is wrong
     */
    Search settings(SweepRequest r, int maxRuns, List<FieldError> errors) {
        int before = errors.size();
        ExtensionUse strategy = null;
        if (r.strategy() == null) {
            errors.add(new FieldError("strategy", "is required with a space: {id: grid|random|tpe, params: {...}}"));
        } else {
            strategy = runs.checkExtension(ExtensionType.STRATEGY, r.strategy(), "strategy", errors);
        }
        ExtensionUse scheduler = r.scheduler() == null
                ? null
                : runs.checkExtension(ExtensionType.SCHEDULER, r.scheduler(), "scheduler", errors);
        SearchSpace space = r.space() == null ? null : SearchSpaces.parse(r.space(), "space", errors);
        if (r.space() == null) {
            errors.add(new FieldError("space", "is required with a strategy: {<path>: {values|int|float ...}}"));
        } else if (r.space().size() > MAX_DIMENSIONS) {
            errors.add(new FieldError("space", "has " + r.space().size() + " dimensions, more than " + MAX_DIMENSIONS));
        }
        Objective objective = objective(r.objective(), errors);
        Search.Budget budget = budget(r.budget(), maxRuns, errors);
        int parallelism = r.parallelism() == null ? DEFAULT_PARALLELISM : r.parallelism();
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            errors.add(new FieldError("parallelism", "must be between 1 and " + MAX_PARALLELISM));
        }
        if (strategy != null && space != null && errors.size() == before) {
            SweepStrategy s = strategy(strategy.id());
            ExtensionUse use = strategy;
            SearchSpace sp = space;
            try {
                List<ParamViolation> v = Guard.call(
                        "check() of " + use.id(), runs.pluginCallLimit(), () -> s.check(new Params(use.params()), sp));
                for (ParamViolation pv : v == null ? List.<ParamViolation>of() : v) {
                    errors.add(new FieldError(
                            sp.dimensions().containsKey(pv.param())
                                    ? "space." + pv.param()
                                    : "strategy.params." + pv.param(),
                            pv.message()));
                }
            } catch (Guard.PluginFailure f) {
                errors.add(new FieldError("strategy", "the strategy could not check the space: " + f.getMessage()));
            }
        }
        if (errors.size() > before) {
            return null;
        }
        long seed = r.seed() != null ? r.seed() : new SecureRandom().nextLong() >>> 1;
        return new Search(
                strategy,
                r.space(),
                objective,
                budget,
                Math.min(parallelism, budget.maxRuns()),
                scheduler,
                seed,
                clock.instant(),
                null,
                List.of());
    }

    /**
     * The first trials of a new search, each validated as a run. A refused configuration is a 400 naming the space
     * path at fault; so is one of the domain's edges (each range's low and high, each choice's values) on top of
     * the first configuration, so that a space reaching outside what the runs accept is refused before it starts.
     */
    List<SweepStore.NewTrial> first(Caller caller, long experiment, Map<String, Object> base, Search search) {
        SearchSpace space = SearchSpaces.parse(search.space(), "space", new ArrayList<>());
        List<Map<String, Object>> proposals;
        try {
            proposals = propose(search, space, List.of(), search.parallelism());
        } catch (Guard.PluginFailure | IllegalStateException e) {
            throw new InvalidInputException("strategy", e.getMessage());
        }
        if (proposals.isEmpty()) {
            throw new InvalidInputException("strategy", "proposed no trial for this space");
        }
        List<FieldError> errors = new ArrayList<>();
        List<SweepStore.NewTrial> out = new ArrayList<>();
        for (Map<String, Object> p : proposals) {
            RunSpec spec = validate(caller, experiment, base, p, errors);
            out.add(new SweepStore.NewTrial(p, spec, null));
        }
        Map<String, Object> probe = proposals.get(0);
        for (Map.Entry<String, SearchSpace.Domain> d : space.dimensions().entrySet()) {
            for (Object edge : edges(d.getValue())) {
                if (errors.size() >= SweepService.MAX_REPORTED) {
                    break;
                }
                Map<String, Object> p = new LinkedHashMap<>(probe);
                p.put(d.getKey(), edge);
                validate(caller, experiment, base, p, errors);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors.stream().distinct().toList());
        }
        return out;
    }

    /** Asks the strategy for as many trials as the sweep has room for; returns how many were added. */
    public int advance(long sweep) {
        List<SweepStore.NewTrial> added = store.advance(sweep, this::plan);
        if (added.stream().anyMatch(t -> t.spec() != null)) {
            wakeWorkers.run();
        }
        return added.size();
    }

    /** Advances the search a run belongs to, if it belongs to one. */
    public void advanceOfRun(long run) {
        store.sweepOfRun(run).ifPresent(this::advance);
    }

    /** Advances every search that may propose more; one failing does not stop the others. */
    public void advanceAll() {
        for (long id : store.searching()) {
            try {
                advance(id);
            } catch (RuntimeException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "SWL-SEARCH-003 advancing sweep {0} failed: {1}",
                        id,
                        e.toString());
            }
        }
    }

    /** What to add to a locked search: the planner {@link SweepStore#advance} calls. */
    SweepStore.Plan plan(SweepStore.Locked locked) {
        Sweep sweep = locked.sweep();
        Search search = sweep.search();
        if (search == null || search.ended() != null || sweep.cancelledAt() != null) {
            return SweepStore.Plan.NOTHING;
        }
        int proposed = search.trials().size();
        if (proposed >= search.budget().maxRuns()) {
            return new SweepStore.Plan(
                    List.of(),
                    "budget spent: " + proposed + " of " + search.budget().maxRuns() + " trials proposed");
        }
        if (clock.instant().isAfter(deadline(search))) {
            return new SweepStore.Plan(
                    List.of(),
                    String.format(
                            Locale.ROOT,
                            "time budget spent: %s hours since %s",
                            search.budget().maxHours(),
                            search.startedAt()));
        }
        long active = sweep.runs().stream().filter(r -> !r.status().finished()).count();
        int room = (int) Math.min(search.parallelism() - active, search.budget().maxRuns() - proposed);
        if (room <= 0) {
            return SweepStore.Plan.NOTHING;
        }
        try {
            runs.requireQueueRoom(sweep.team(), room);
        } catch (ConflictException full) {
            return SweepStore.Plan.NOTHING; // the team's queue is full: try again when runs have started
        }
        SearchSpace space = SearchSpaces.parse(search.space(), "space", new ArrayList<>());
        List<Map<String, Object>> proposals;
        try {
            proposals = propose(search, space, Trials.of(sweep, locked.metrics()), room);
        } catch (Guard.PluginFailure | IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, "SWL-SEARCH-001 sweep {0}: {1}", sweep.id(), e.getMessage());
            return new SweepStore.Plan(List.of(), "the strategy failed: " + e.getMessage());
        }
        if (proposals.isEmpty()) {
            return new SweepStore.Plan(
                    List.of(), "the strategy " + search.strategy().id() + " has no more configurations to propose");
        }
        List<SweepStore.NewTrial> trials = new ArrayList<>();
        for (Map<String, Object> p : proposals) {
            List<FieldError> errors = new ArrayList<>();
            RunSpec spec = validate(Caller.system(), sweep.experiment(), sweep.base(), p, errors);
            trials.add(new SweepStore.NewTrial(
                    p,
                    errors.isEmpty() ? spec : null,
                    errors.isEmpty()
                            ? null
                            : errors.stream()
                                    .map(e -> e.field() + ": " + e.message())
                                    .reduce((a, b) -> a + "; " + b)
                                    .orElseThrow()));
        }
        boolean last = proposed + trials.size() >= search.budget().maxRuns();
        return new SweepStore.Plan(
                trials,
                last
                        ? "budget spent: " + (proposed + trials.size()) + " of "
                                + search.budget().maxRuns() + " trials proposed"
                        : null);
    }

    /**
     * Asks the search's scheduler about a run that just recorded an epoch; a stop reaches the run's worker at its
     * next iteration. Does nothing for runs outside a search with a scheduler, or at their last epoch.
     */
    public void afterEpoch(long runId, int epoch) {
        Long sweepId = store.sweepOfRun(runId).orElse(null);
        if (sweepId == null) {
            return;
        }
        Sweep sweep = store.find(sweepId).orElse(null);
        if (sweep == null || sweep.search() == null || sweep.search().scheduler() == null) {
            return;
        }
        Run run = sweep.runs().stream().filter(r -> r.id() == runId).findFirst().orElse(null);
        if (run == null
                || run.status() != RunStatus.RUNNING
                || run.cancelRequested()
                || epoch >= run.spec().epochs()) {
            return;
        }
        Search search = sweep.search();
        ExtensionUse use = search.scheduler();
        TrialScheduler scheduler =
                runs.plugins().extension(TrialScheduler.class, use.id()).orElse(null);
        if (scheduler == null) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "SWL-SEARCH-004 sweep {0}: scheduler {1} is not installed",
                    sweepId,
                    use.id());
            return;
        }
        Map<Long, List<EpochMetric>> metrics = runStore.sweepMetrics(sweepId);
        List<Trial> all = Trials.of(sweep, metrics);
        Trial me = null;
        List<Trial> others = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Search.TrialRecord rec = search.trials().get(i);
            Trial t = all.get(i);
            if (rec.run() != null && rec.run() == runId) {
                me = new Trial(
                        t.number(),
                        t.params(),
                        t.state(),
                        t.history().subList(0, Math.min(epoch, t.history().size())),
                        t.value());
            } else {
                others.add(t);
            }
        }
        if (me == null || me.history().size() < epoch) {
            return;
        }
        Trial trial = me;
        SchedulerContext ctx = new SchedulerContext() {
            @Override
            public Objective objective() {
                return search.objective();
            }

            @Override
            public Trial trial() {
                return trial;
            }

            @Override
            public List<Trial> others() {
                return others;
            }

            @Override
            public int maxEpochs() {
                return run.spec().epochs();
            }
        };
        Decision d;
        try {
            d = Guard.call(
                    "decide() of " + use.id(),
                    runs.pluginCallLimit(),
                    () -> scheduler.decide(new Params(use.params()), ctx));
        } catch (Guard.PluginFailure f) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "SWL-SEARCH-005 sweep {0}, run {1}: {2}; the run goes on",
                    sweepId,
                    runId,
                    f.getMessage());
            return;
        }
        if (d != null && d.stop() && store.requestStop(runId, use.id(), d.reason())) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "SWL-SEARCH-002 sweep {0}: {1} stops run {2}: {3}",
                    sweepId,
                    use.id(),
                    runId,
                    d.reason());
            stopRunning.accept(runId);
        }
    }

    /**
     * The strategy's proposals, checked: at most {@code count}, each giving every path a value of its domain (ints
     * as Integer, floats as Double).
     *
     * @throws IllegalStateException naming what is wrong with a proposal
     */
    private List<Map<String, Object>> propose(Search search, SearchSpace space, List<Trial> trials, int count)
            throws Guard.PluginFailure {
        ExtensionUse use = search.strategy();
        SweepStrategy strategy = strategy(use.id());
        SearchContext ctx = new SearchContext() {
            @Override
            public SearchSpace space() {
                return space;
            }

            @Override
            public Objective objective() {
                return search.objective();
            }

            @Override
            public List<Trial> trials() {
                return trials;
            }

            @Override
            public long seed() {
                return search.seed();
            }
        };
        List<Map<String, Object>> raw = Guard.call(
                "propose() of " + use.id(),
                runs.pluginCallLimit(),
                () -> strategy.propose(new Params(use.params()), ctx, count));
        if (raw == null) {
            throw new IllegalStateException("propose() of " + use.id() + " returned null");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> p : raw.subList(0, Math.min(count, raw.size()))) {
            out.add(SearchSpaces.check(space, p, use.id()));
        }
        return out;
    }

    private SweepStrategy strategy(String id) {
        return runs.plugins()
                .extension(SweepStrategy.class, id)
                .orElseThrow(() -> new IllegalStateException("the strategy " + id + " is not installed"));
    }

    /** Validates a trial's run; its errors name the space path (or base field) and the configuration. */
    private RunSpec validate(
            Caller caller,
            long experiment,
            Map<String, Object> base,
            Map<String, Object> params,
            List<FieldError> errors) {
        try {
            Map<String, Object> request = Grid.apply(base, params, "space");
            request.put("experiment", experiment);
            return runs.validate(caller, toRequest.apply(request));
        } catch (InvalidInputException e) {
            for (FieldError fe : e.errors()) {
                String field = fe.field().startsWith("space.")
                        ? fe.field()
                        : SweepService.fieldOf(fe.field(), params.keySet(), "space");
                errors.add(new FieldError(field, "in trial " + SweepService.describe(params) + ": " + fe.message()));
            }
            return null;
        }
    }

    /** The values at a domain's edges, checked at launch. */
    private static List<Object> edges(SearchSpace.Domain d) {
        if (d instanceof SearchSpace.IntRange r) {
            return List.of(r.low(), r.high());
        }
        if (d instanceof SearchSpace.FloatRange r) {
            return List.of(r.low(), r.high());
        }
        List<Object> values = ((SearchSpace.Choice) d).values();
        return values.subList(0, Math.min(CHECKED_CHOICES, values.size()));
    }

    private static Objective objective(SweepRequest.ObjectiveRequest o, List<FieldError> errors) {
        String metric = o == null || o.metric() == null ? "valAccuracy" : o.metric();
        if (!Trials.METRICS.contains(metric)) {
            errors.add(new FieldError(
                    "objective.metric",
                    "unknown metric '" + metric + "'; one of "
                            + String.join(", ", Trials.METRICS.stream().sorted().toList())));
            metric = "valAccuracy";
        }
        String goal = o == null || o.goal() == null
                ? (metric.endsWith("Loss") ? "min" : "max")
                : o.goal().toLowerCase(Locale.ROOT);
        if (!goal.equals("max") && !goal.equals("min")) {
            errors.add(new FieldError("objective.goal", "must be max or min"));
            goal = "max";
        }
        return new Objective(metric, goal.equals("max") ? Objective.Goal.MAX : Objective.Goal.MIN);
    }

    private static Search.Budget budget(SweepRequest.BudgetRequest b, int maxRuns, List<FieldError> errors) {
        if (b == null || b.maxRuns() == null) {
            errors.add(new FieldError("budget.maxRuns", "is required: how many trials the search may run"));
            return new Search.Budget(1, null);
        }
        if (b.maxRuns() < 1 || b.maxRuns() > maxRuns) {
            errors.add(new FieldError(
                    "budget.maxRuns", "must be between 1 and " + maxRuns + " (sweeplab.sweeps.max-runs)"));
        }
        if (b.maxHours() != null && !(b.maxHours() > 0 && b.maxHours() <= 24 * 366)) {
            errors.add(new FieldError("budget.maxHours", "must be greater than 0 and at most a year of hours"));
        }
        return new Search.Budget(Math.max(1, b.maxRuns()), b.maxHours());
    }

    /** When the time budget ends. */
    private static Instant deadline(Search s) {
        return s.budget().maxHours() == null
                ? Instant.MAX
                : s.startedAt().plus(Duration.ofMillis((long) (s.budget().maxHours() * 3_600_000)));
    }
}
