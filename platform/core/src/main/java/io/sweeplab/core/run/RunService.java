package io.sweeplab.core.run;

import io.sweeplab.core.access.AuditLog;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.access.Role;
import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.plugin.ExtensionType;
import io.sweeplab.core.plugin.Guard;
import io.sweeplab.core.plugin.PluginEntry;
import io.sweeplab.core.plugin.PluginRegistry;
import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.BuildContext;
import io.sweeplab.plugin.api.Dataset;
import io.sweeplab.plugin.api.Extension;
import io.sweeplab.plugin.api.InputShape;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamViolation;
import io.sweeplab.plugin.api.Visualizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.inputs.InputType;

/** Accepts runs: validates a request against the plugin schemas, stores it queued, and wakes the workers. */
public final class RunService {

    public static final int DEFAULT_EPOCHS = 5;
    public static final int DEFAULT_BATCH_SIZE = 32;
    public static final double DEFAULT_LEARNING_RATE = 0.001;
    public static final long DEFAULT_SEED = 42;
    public static final int MAX_EPOCHS = 1000;
    public static final int MAX_BATCH_SIZE = 4096;
    /**
     * The class count the memory estimate builds the architecture with: the dataset's is known only once a worker
     * loaded it, and it changes only the output layer.
     */
    static final int CLASSES = 10;

    /** The most callbacks, and the most visualizers, one run may use. */
    public static final int MAX_EXTENSIONS = 20;

    private final Supplier<PluginRegistry> plugins;
    private final RunStore store;
    private final LongFunction<Optional<String>> experimentTeam;
    private final Runnable wakeWorkers;
    private final LongConsumer cancelRunning;
    private final Duration pluginCallLimit;
    private final AuditLog audit;
    private final RunLimits limits;

    /**
     * @param plugins the plugins now (each validation takes one snapshot)
     * @param experimentTeam the team of an experiment, empty when there is no such experiment
     * @param wakeWorkers called after a run is queued
     * @param cancelRunning called with a running run's id when it is cancelled, to stop it without waiting for a poll
     */
    public RunService(
            Supplier<PluginRegistry> plugins,
            RunStore store,
            LongFunction<Optional<String>> experimentTeam,
            Runnable wakeWorkers,
            LongConsumer cancelRunning,
            Duration pluginCallLimit,
            AuditLog audit,
            RunLimits limits) {
        this.plugins = plugins;
        this.store = store;
        this.experimentTeam = experimentTeam;
        this.wakeWorkers = wakeWorkers;
        this.cancelRunning = cancelRunning;
        this.pluginCallLimit = pluginCallLimit;
        this.audit = audit;
        this.limits = limits;
    }

    /** Queues a run in an experiment of a team where the caller is at least a member. */
    public Run submit(Caller caller, RunRequest request) {
        requireMemberOfExperiment(caller, request == null ? null : request.experiment());
        RunSpec spec = validate(caller, request);
        requireQueueRoom(teamOfExperiment(caller, spec.experiment()), 1);
        Run run = store.create(spec, null);
        audit.record(
                caller.name(),
                "run-launch",
                run.team(),
                "run " + run.id(),
                Map.of("architecture", spec.architecture(), "epochs", spec.epochs()));
        wakeWorkers.run();
        return run;
    }

    /**
     * When the experiment exists and the caller sees it, they must be a member of its team (a viewer gets 403);
     * an experiment they do not see is reported by validation as missing.
     */
    public void requireMemberOfExperiment(Caller caller, Long experiment) {
        caller.requireWritable();
        if (experiment != null) {
            experimentTeam
                    .apply(experiment)
                    .filter(caller::sees)
                    .ifPresent(team -> caller.require(team, Role.MEMBER, "no experiment " + experiment));
        }
    }

    /**
     * @param adding runs about to be queued for the team
     * @throws ConflictException when they would take the team past its limit of queued runs
     */
    public void requireQueueRoom(String team, int adding) {
        int queued = store.queued(team);
        if ((long) queued + adding > limits.maxQueuedPerTeam()) {
            throw new ConflictException(
                    null,
                    String.format(
                            Locale.ROOT,
                            "team '%s' has %,d runs queued; %,d more would pass its limit of %,d queued runs"
                                    + " (sweeplab.team.max-queued-runs): wait for some to start, or cancel some",
                            team,
                            queued,
                            adding,
                            limits.maxQueuedPerTeam()));
        }
    }

    /** @throws NotFoundException when there is no such run or it belongs to a team the caller does not see */
    public Run get(Caller caller, long id) {
        return store.find(id)
                .filter(r -> caller.sees(r.team()))
                .orElseThrow(() -> new NotFoundException("no run " + id));
    }

    /** The runs among {@code ids} that the caller sees (a worker's jobs, listed to users of every team). */
    public List<Long> visible(Caller caller, List<Long> ids) {
        if (caller.admin() || ids == null) {
            return ids;
        }
        return ids.stream()
                .filter(id -> store.find(id).filter(r -> caller.sees(r.team())).isPresent())
                .toList();
    }

    /** Runs of one experiment, or of every team the caller sees. */
    public List<Run> list(Caller caller, Long experiment) {
        if (experiment != null) {
            teamOfExperiment(caller, experiment);
        }
        return store.list(experiment, caller.visibleTeams());
    }

    /** @throws NotFoundException when there is no such experiment or the caller does not see its team */
    public String teamOfExperiment(Caller caller, long experiment) {
        return experimentTeam
                .apply(experiment)
                .filter(caller::sees)
                .orElseThrow(() -> new NotFoundException("no experiment " + experiment));
    }

    public List<EpochMetric> metrics(Caller caller, long id) {
        get(caller, id);
        return store.metrics(id);
    }

    public List<RunStore.ArtifactInfo> artifacts(Caller caller, long id) {
        get(caller, id);
        return store.artifacts(id);
    }

    public Optional<byte[]> artifact(Caller caller, long id, String name) {
        get(caller, id);
        return store.artifact(id, name);
    }

    /**
     * Cancels a queued run at once; a running one stops at its next iteration.
     *
     * @throws ConflictException if the run already finished
     */
    public Run cancel(Caller caller, long id) {
        Run before = get(caller, id);
        caller.require(before.team(), Role.MEMBER, "no run " + id);
        if (before.external() != null) {
            throw new ConflictException(
                    "source", "run " + id + " is logged from outside (MLflow): the program that logs it ends it");
        }
        if (before.status().finished()) {
            throw new ConflictException(
                    "status", "run " + id + " already " + before.status().jsonName());
        }
        Run after = store.requestCancel(id).orElseThrow(() -> new NotFoundException("no run " + id));
        if (after.status() == RunStatus.RUNNING) {
            cancelRunning.accept(id);
        }
        audit.record(caller.name(), "run-cancel", before.team(), "run " + id, Map.of());
        return after;
    }

    /**
     * Deletes a run with its metrics, checkpoints and artifacts; a running one is stopped first (its worker loses
     * the job at its next report).
     */
    public void delete(Caller caller, long id) {
        Run run = get(caller, id);
        caller.require(run.team(), Role.MEMBER, "no run " + id);
        if (run.status() == RunStatus.RUNNING) {
            cancelRunning.accept(id);
        }
        if (!store.delete(id)) {
            throw new NotFoundException("no run " + id);
        }
        audit.record(caller.name(), "run-delete", run.team(), "run " + id, Map.of());
    }

    /** Checks every field and returns the complete spec, or throws naming every bad field. */
    public RunSpec validate(Caller caller, RunRequest r) {
        if (r == null) {
            throw new InvalidInputException("body", "a JSON object is required");
        }
        List<FieldError> errors = new ArrayList<>();
        PluginRegistry plugins = this.plugins.get();
        List<ExtensionVersion> used = new ArrayList<>();
        if (r.experiment() == null) {
            errors.add(new FieldError("experiment", "is required"));
        } else if (r.experiment() <= 0
                || experimentTeam.apply(r.experiment()).filter(caller::sees).isEmpty()) {
            errors.add(new FieldError("experiment", "no experiment " + r.experiment()));
        }

        Map<String, Object> params = null;
        Architecture arch = null;
        if (r.architecture() == null || r.architecture().isBlank()) {
            errors.add(new FieldError("architecture", "is required"));
        } else {
            PluginEntry entry =
                    plugins.find(ExtensionType.ARCHITECTURE, r.architecture()).orElse(null);
            if (entry == null) {
                errors.add(new FieldError(
                        "architecture",
                        "unknown architecture '" + r.architecture() + "'; available: "
                                + available(plugins, Architecture.class)));
            } else {
                arch = (Architecture) entry.extension();
                used.add(ExtensionVersion.of(entry));
                params = checkParams(arch, r.params(), "params", errors);
            }
        }

        int epochs = intIn(r.epochs(), DEFAULT_EPOCHS, 1, MAX_EPOCHS, "epochs", errors);
        int batchSize = intIn(r.batchSize(), DEFAULT_BATCH_SIZE, 1, MAX_BATCH_SIZE, "batchSize", errors);
        double lr = r.learningRate() == null ? DEFAULT_LEARNING_RATE : r.learningRate();
        if (!(lr > 0 && lr <= 10) || !Double.isFinite(lr)) {
            errors.add(new FieldError("learningRate", "must be greater than 0 and at most 10"));
        }
        long seed = r.seed() == null ? DEFAULT_SEED : r.seed();

        List<ExtensionUse> callbacks =
                uses(plugins, ExtensionType.CALLBACK, r.callbacks(), List.of(), "callbacks", errors, used);
        List<ExtensionUse> visualizers = uses(
                plugins,
                ExtensionType.VISUALIZER,
                r.visualizers(),
                plugins.extension(Visualizer.class, "activations").isPresent()
                        ? List.of(new RunRequest.ExtensionRequest("activations", null))
                        : List.of(),
                "visualizers",
                errors,
                used);

        DatasetChoice dataset = dataset(plugins, r.dataset(), errors, used);
        RunRequest.DataRequest d = r.data() == null ? new RunRequest.DataRequest(null, null, null, null) : r.data();
        int trainLimit = intIn(d.trainLimit(), 0, 0, dataset.trainSize, "data.trainLimit", errors);
        int testLimit = intIn(d.testLimit(), 0, 0, dataset.testSize, "data.testLimit", errors);
        String sampling = d.sampling() == null ? "first" : d.sampling();
        if (!sampling.equals("first") && !sampling.equals("random")) {
            errors.add(new FieldError("data.sampling", "must be first or random"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (dataset.shape.isPresent()) { // a shape only the data tells: its worker checks
            checkModel(arch, params, dataset.shape.get(), batchSize, lr, seed, r.params());
        }
        return new RunSpec(
                r.experiment(),
                r.architecture(),
                params,
                epochs,
                batchSize,
                lr,
                seed,
                callbacks,
                visualizers,
                new DataSpec(trainLimit, testLimit, sampling, d.sampleSeed() == null ? 0 : d.sampleSeed()),
                Boolean.TRUE.equals(r.gpu()),
                dataset.use,
                used.stream().distinct().toList());
    }

    /** A run's dataset with complete parameters, and what it declares of itself without loading. */
    private record DatasetChoice(ExtensionUse use, Optional<InputShape> shape, int trainSize, int testSize) {}

    /** The named dataset ({@value RunSpec#DEFAULT_DATASET} when none is named), checked against its schema. */
    private DatasetChoice dataset(
            PluginRegistry plugins,
            RunRequest.ExtensionRequest given,
            List<FieldError> errors,
            List<ExtensionVersion> used) {
        DatasetChoice unknown = new DatasetChoice(null, Optional.empty(), Integer.MAX_VALUE, Integer.MAX_VALUE);
        String id = given == null ? RunSpec.DEFAULT_DATASET : given.id();
        if (id == null || id.isBlank()) {
            errors.add(new FieldError("dataset.id", "is required"));
            return unknown;
        }
        PluginEntry entry = plugins.find(ExtensionType.DATASET, id).orElse(null);
        if (entry == null) {
            errors.add(new FieldError(
                    "dataset.id", "unknown dataset '" + id + "'; available: " + available(plugins, Dataset.class)));
            return unknown;
        }
        Dataset ds = (Dataset) entry.extension();
        used.add(ExtensionVersion.of(entry));
        Map<String, Object> p = checkParams(ds, given == null ? null : given.params(), "dataset.params", errors);
        if (p == null) {
            return unknown;
        }
        io.sweeplab.plugin.api.Params valid = ds.params().validate(p).params();
        try {
            return Guard.call(
                    "inputShape() of " + id,
                    pluginCallLimit,
                    () -> new DatasetChoice(
                            new ExtensionUse(id, p),
                            ds.inputShape(valid),
                            ds.trainSize(valid).orElse(Integer.MAX_VALUE),
                            ds.testSize(valid).orElse(Integer.MAX_VALUE)));
        } catch (Guard.PluginFailure f) {
            errors.add(new FieldError("dataset", "the plugin could not describe this dataset: " + f.getMessage()));
            return unknown;
        }
    }

    private List<ExtensionUse> uses(
            PluginRegistry plugins,
            ExtensionType type,
            List<RunRequest.ExtensionRequest> given,
            List<RunRequest.ExtensionRequest> defaults,
            String field,
            List<FieldError> errors,
            List<ExtensionVersion> used) {
        List<RunRequest.ExtensionRequest> list = given == null ? defaults : given;
        List<ExtensionUse> out = new ArrayList<>();
        if (list.size() > MAX_EXTENSIONS) {
            errors.add(new FieldError(field, "must have at most " + MAX_EXTENSIONS + " entries, not " + list.size()));
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            String at = field + "[" + i + "]";
            RunRequest.ExtensionRequest e = list.get(i);
            if (e == null || e.id() == null || e.id().isBlank()) {
                errors.add(new FieldError(at + ".id", "is required"));
                continue;
            }
            PluginEntry entry = plugins.find(type, e.id()).orElse(null);
            if (entry == null) {
                errors.add(new FieldError(
                        at + ".id",
                        "unknown " + type.jsonName() + " '" + e.id() + "'; available: "
                                + available(plugins, type.api())));
                continue;
            }
            used.add(ExtensionVersion.of(entry));
            Map<String, Object> p = checkParams(entry.extension(), e.params(), at + ".params", errors);
            if (p != null) {
                out.add(new ExtensionUse(e.id(), p));
            }
        }
        return out;
    }

    /**
     * Checks one extension of a sweep setting (a search's strategy or scheduler): a known id of the type and
     * parameters that fit its schema; errors name {@code field.id} and {@code field.params.<name>}.
     *
     * @return the use with parameters completed by defaults, or null when it does not pass
     */
    public ExtensionUse checkExtension(
            ExtensionType type, RunRequest.ExtensionRequest e, String field, List<FieldError> errors) {
        PluginRegistry registry = plugins.get();
        if (e == null || e.id() == null || e.id().isBlank()) {
            errors.add(new FieldError(field + ".id", "is required"));
            return null;
        }
        PluginEntry entry = registry.find(type, e.id()).orElse(null);
        if (entry == null) {
            errors.add(new FieldError(
                    field + ".id",
                    "unknown " + type.jsonName() + " '" + e.id() + "'; available: " + available(registry, type.api())));
            return null;
        }
        Map<String, Object> p = checkParams(entry.extension(), e.params(), field + ".params", errors);
        return p == null ? null : new ExtensionUse(e.id(), p);
    }

    /** The plugins now. */
    public PluginRegistry plugins() {
        return plugins.get();
    }

    /** How long a call into a plugin on the platform may take. */
    public Duration pluginCallLimit() {
        return pluginCallLimit;
    }

    /** Validates parameter values with the schema, then the extension's own cross-field rules (guarded). */
    private Map<String, Object> checkParams(
            Extension ext, Map<String, Object> raw, String field, List<FieldError> errors) {
        ParamSchema.Validation v = ext.params().validate(raw);
        for (ParamViolation pv : v.violations()) {
            errors.add(new FieldError(field + "." + pv.param(), pv.message()));
        }
        if (!v.valid()) {
            return null;
        }
        List<ParamViolation> cross;
        try {
            cross = Guard.call("validate() of " + ext.id(), pluginCallLimit, () -> ext.validate(v.params()));
        } catch (Guard.PluginFailure f) {
            errors.add(new FieldError(field, "the plugin could not check these values: " + f.getMessage()));
            return null;
        }
        if (cross != null) {
            for (ParamViolation pv : cross) {
                errors.add(new FieldError(field + "." + pv.param(), pv.message()));
            }
            if (!cross.isEmpty()) {
                return null;
            }
        }
        return v.params().asMap();
    }

    /** The network one run's values describe, and its memory estimate where it could be read. */
    private record Built(ModelConfiguration model, MemoryEstimate estimate) {}

    /**
     * Builds the network once for the dataset's input shape, as its worker will (only a configuration: no weights),
     * and refuses at launch what a worker would refuse: values that do not fit the dataset's images (the architecture
     * throws {@link IllegalArgumentException}: naming the values set), values for which the architecture throws
     * otherwise or builds nothing (naming {@code params}), a graph (naming the architecture, or the values set when the
     * defaults build a layer stack), and a network no worker can hold by its {@link MemoryEstimate} (naming the batch
     * size and the values set, which are what make it large).
     */
    private void checkModel(
            Architecture arch,
            Map<String, Object> params,
            InputShape shape,
            int batchSize,
            double lr,
            long seed,
            Map<String, Object> given) {
        BuildContext context = new BuildContext(shape.height(), shape.width(), shape.channels(), CLASSES, lr, seed);
        Built built;
        try {
            built = build(arch, params, context, batchSize);
        } catch (Guard.PluginFailure e) {
            if (e.getCause() instanceof IllegalArgumentException misfit) {
                // the values do not fit the dataset's images (Architecture.build): the worker would refuse them
                throw new InvalidInputException(given(given, misfit.getMessage()));
            }
            if (e.getCause() instanceof Exception) {
                throw new InvalidInputException(
                        "params",
                        "architecture '" + arch.id() + "' cannot build a network from these values: " + e.getMessage());
            }
            return; // it hung or hit an Error (a missing class, ND4J not loading here): its worker reports it
        }
        if (built.model() instanceof ModelConfiguration.Graph) {
            throw graphRefusal(arch, context, batchSize, given);
        }
        MemoryEstimate estimate = built.estimate();
        if (estimate == null || estimate.bytes() <= limits.maxMemoryBytes()) {
            return;
        }
        String message = String.format(
                Locale.ROOT,
                "this run needs about %s of memory to train, more than the %,d MiB a worker holds"
                        + " (sweeplab.runs.max-memory): lower the batch size or the network's size",
                estimate.describe(),
                MemoryEstimate.mib(limits.maxMemoryBytes()));
        List<FieldError> errors = new ArrayList<>(given(given, message));
        errors.removeIf(e -> e.field().equals("params"));
        errors.add(new FieldError("batchSize", message));
        throw new InvalidInputException(errors);
    }

    /** Calls {@link Architecture#build} in a guard, reading the memory estimate there too: the configuration is the plugin's. */
    private Built build(Architecture arch, Map<String, Object> params, BuildContext context, int batchSize)
            throws Guard.PluginFailure {
        return Guard.call("build() of " + arch.id(), pluginCallLimit, () -> {
            ModelConfiguration model = arch.build(arch.params().validate(params).params(), context);
            if (model == null) {
                throw new IllegalStateException("build() returned no network");
            }
            return new Built(
                    model, model instanceof ModelConfiguration.Sequential s ? estimate(s, context, batchSize) : null);
        });
    }

    /** The estimate, or null for a stack whose shapes it cannot follow: its worker reports what happens. */
    private static MemoryEstimate estimate(ModelConfiguration.Sequential s, BuildContext context, int batchSize) {
        try {
            return MemoryEstimate.of(
                    s.configuration(),
                    InputType.convolutionalFlat(context.height(), context.width(), context.channels()),
                    batchSize);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Workers train layer stacks only (their engines and visualizers read a {@code MultiLayerNetwork}), so a graph
     * is refused: naming the values set when the architecture's defaults build a stack, the architecture otherwise.
     */
    private InvalidInputException graphRefusal(
            Architecture arch, BuildContext context, int batchSize, Map<String, Object> given) {
        boolean defaultsStack = false;
        if (given != null && !given.isEmpty()) {
            try {
                defaultsStack =
                        build(arch, Map.of(), context, batchSize).model() instanceof ModelConfiguration.Sequential;
            } catch (Guard.PluginFailure e) {
                // the defaults do not build either: the architecture is at fault
            }
        }
        String message = "architecture '" + arch.id() + "' describes a graph network (ComputationGraphConfiguration)"
                + (defaultsStack ? " with these values" : "")
                + "; Sweeplab trains layer stacks (MultiLayerConfiguration) only";
        return defaultsStack
                ? new InvalidInputException(given(given, message))
                : new InvalidInputException("architecture", message);
    }

    /** One error per value the request set, in the order of their names; on {@code params} when it set none. */
    private static List<FieldError> given(Map<String, Object> given, String message) {
        List<FieldError> errors = new ArrayList<>();
        if (given != null) {
            given.keySet().stream().sorted().forEach(k -> errors.add(new FieldError("params." + k, message)));
        }
        if (errors.isEmpty()) {
            errors.add(new FieldError("params", message));
        }
        return errors;
    }

    private static <T extends Extension> String available(PluginRegistry plugins, Class<T> type) {
        return String.join(
                ", ",
                plugins.entries().stream()
                        .filter(e -> e.loaded() && type.isInstance(e.extension()))
                        .map(e -> e.id())
                        .sorted()
                        .toList());
    }

    private static int intIn(Integer value, int dflt, int min, int max, String field, List<FieldError> errors) {
        int v = value == null ? dflt : value;
        if (v < min || v > max) {
            errors.add(new FieldError(field, "must be between " + min + " and " + max));
        }
        return v;
    }
}
