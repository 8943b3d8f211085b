package io.sweeplab.worker.train;

import io.sweeplab.core.plugin.ExtensionType;
import io.sweeplab.core.plugin.PluginRegistry;
import io.sweeplab.core.run.ExtensionUse;
import io.sweeplab.core.run.RunSpec;
import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.BuildContext;
import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.api.Extension;
import io.sweeplab.plugin.api.ImageSet;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.worker.data.LoadedDataset;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * Trains one run on its dataset: takes the run's extensions from one snapshot of the plugins, builds the
 * architecture's network for the dataset's input shape and classes, opens the engine {@link EngineRegistry} chooses
 * for it (the run's device and the log, {@code SWL-WORKER-027}, say which and why not the others), starts the
 * callbacks and hands the epochs and the end of the run to a {@link TrainingRun}. Plugin code is called through a
 * {@link PluginCaller}; a failure of any kind is thrown and fails the run.
 */
public final class Trainer {

    private static final System.Logger LOG = System.getLogger(Trainer.class.getName());

    private final java.util.function.Supplier<PluginRegistry> plugins;
    private final Duration pluginCallLimit;
    private final EngineRegistry engines;
    private final String device;

    /**
     * @param plugins the plugins now; each run takes one snapshot when it starts and keeps its extensions to the end
     * @param engineChoice one of {@link EngineRegistry#PREFERENCES}
     * @param threads CPU threads one run may use, on either engine
     */
    public Trainer(
            java.util.function.Supplier<PluginRegistry> plugins,
            Duration pluginCallLimit,
            String engineChoice,
            int threads) {
        this.plugins = plugins;
        this.pluginCallLimit = pluginCallLimit;
        Backend backend = Backend.detect();
        this.engines = new EngineRegistry(backend, engineChoice, threads);
        Dl4jEngine.limitThreads(backend, Math.max(1, threads));
        Devices.requireSupportedGpu();
        this.device = Devices.describe(Math.max(1, threads));
    }

    public String device() {
        return device;
    }

    /**
     * @param checkpointDir where this run's checkpoints go (created if needed)
     * @param resume the checkpoint to continue from, if the run was interrupted
     */
    public TrainingOutcome train(
            long runId,
            RunSpec spec,
            LoadedDataset data,
            Path checkpointDir,
            Optional<Resume> resume,
            TrainingReporter reporter)
            throws Exception {
        ImageSet train = subset(data.content().train(), spec.data().trainLimit(), spec);
        ImageSet test = subset(data.content().test(), spec.data().testLimit(), spec);
        List<String> classNames = data.content().classNames();
        InputType input = InputType.convolutionalFlat(train.height(), train.width(), train.channels());

        // one snapshot for the whole run: an upgrade or removal meanwhile changes nothing for it
        PluginRegistry registry = plugins.get();
        try (PluginCaller caller = new PluginCaller(pluginCallLimit, runId)) {
            Architecture arch = extension(registry, spec, Architecture.class, spec.architecture());
            List<Visualizer> visualizers = spec.visualizers().stream()
                    .map(use -> extension(registry, spec, Visualizer.class, use.id()))
                    .toList();
            MultiLayerConfiguration conf = build(caller, arch, spec, train, classNames.size());
            Engine engine = resume.isPresent()
                    ? engines.resume(resume.get().checkpoint(), input, spec.batchSize())
                    : engines.create(conf, input, spec.batchSize());
            try (TrainingRun run = new TrainingRun(
                    runId, spec, train, test, classNames, checkpointDir, reporter, caller, engines, input, engine)) {
                String runDevice = device + ", " + engine.description();
                reporter.started(runDevice, Summaries.of(engine.network(), input), data.provenance());
                LOG.log(Level.INFO, "SWL-WORKER-027 run {0} trains on {1}", Long.toString(runId), runDevice);
                return run.train(startCallbacks(registry, spec, caller), visualizers, resume);
            }
        }
    }

    /** The architecture's network for the dataset's shape and classes: a layer stack, the one kind trained here. */
    private static MultiLayerConfiguration build(
            PluginCaller caller, Architecture arch, RunSpec spec, ImageSet train, int classes) throws Exception {
        Params archParams = params(arch, spec.params());
        BuildContext ctx = new BuildContext(
                train.height(), train.width(), train.channels(), classes, spec.learningRate(), spec.seed());
        ModelConfiguration model = caller.call("build() of " + arch.id(), () -> arch.build(archParams, ctx));
        if (!(model instanceof ModelConfiguration.Sequential seq)) {
            throw new UnsupportedOperationException("architecture '" + arch.id() + "' describes a graph network;"
                    + " this worker trains layer stacks (MultiLayerConfiguration) only");
        }
        return seq.configuration();
    }

    private static List<TrainingRun.Session> startCallbacks(PluginRegistry registry, RunSpec spec, PluginCaller caller)
            throws Exception {
        List<TrainingRun.Session> sessions = new ArrayList<>();
        for (ExtensionUse use : spec.callbacks()) {
            Callback cb = extension(registry, spec, Callback.class, use.id());
            Params p = params(cb, use.params());
            sessions.add(new TrainingRun.Session(use.id(), caller.call("start() of " + use.id(), () -> cb.start(p))));
        }
        return sessions;
    }

    private static ImageSet subset(ImageSet set, int limit, RunSpec spec) {
        return "random".equals(spec.data().sampling())
                ? set.sample(limit, spec.data().sampleSeed())
                : set.first(limit);
    }

    static int[] permutation(int n, Random rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * The extension the run was launched with: exactly the recorded plugin version, or, for a run recorded before
     * versions were, the loaded one.
     */
    static <T extends Extension> T extension(PluginRegistry registry, RunSpec spec, Class<T> api, String id) {
        ExtensionType type = java.util.Arrays.stream(ExtensionType.values())
                .filter(t -> t.api() == api)
                .findFirst()
                .orElseThrow();
        Optional<io.sweeplab.core.run.ExtensionVersion> pinned = spec.extension(type.jsonName(), id);
        Optional<io.sweeplab.core.plugin.PluginEntry> entry = pinned.isPresent()
                ? registry.find(type, id, pinned.get().plugin(), pinned.get().pluginVersion())
                : registry.find(type, id);
        return entry.map(e -> api.cast(e.extension()))
                .orElseThrow(() -> new IllegalStateException(type.jsonName() + " '" + id + "'"
                        + pinned.filter(io.sweeplab.core.run.ExtensionVersion::external)
                                .map(p -> " of plugin " + p.plugin() + " " + p.pluginVersion())
                                .orElse("")
                        + " is not loaded on this worker"));
    }

    static Params params(Extension ext, java.util.Map<String, Object> values) {
        ParamSchema.Validation v = ext.params().validate(values);
        if (!v.valid()) {
            throw new IllegalStateException(
                    "stored parameters of " + ext.id() + " no longer fit its schema: " + v.violations());
        }
        return v.params();
    }
}
