package io.sweeplab.worker.train;

import io.sweeplab.core.plugin.ExtensionType;
import io.sweeplab.core.plugin.Guard;
import io.sweeplab.core.plugin.PluginRegistry;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ExtensionUse;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.RunSpec;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.BuildContext;
import io.sweeplab.plugin.api.Callback;
import io.sweeplab.plugin.api.CallbackSession;
import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.EpochMetrics;
import io.sweeplab.plugin.api.Extension;
import io.sweeplab.plugin.api.ImageSet;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.worker.data.LoadedDataset;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * Trains one run with DeepLearning4J on its dataset: builds the architecture's network for the dataset's input shape
 * and classes, runs the epochs (shuffled each epoch, as
 * Keras does), measures training loss and accuracy during the epoch and validation loss and accuracy on the test
 * set after it, saves a checkpoint per epoch, lets the callbacks stop the run, evaluates on the test set and runs
 * the visualizers. Plugin code is called through a {@link PluginCaller}; a failure of any kind is thrown and fails
 * the run.
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
     * @param threads CPU threads one run may use
     */
    public Trainer(
            java.util.function.Supplier<PluginRegistry> plugins,
            Duration pluginCallLimit,
            String engineChoice,
            int threads) {
        this.plugins = plugins;
        this.pluginCallLimit = pluginCallLimit;
        this.engines = new EngineRegistry(Backend.detect(), engineChoice, threads);
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
            List<Visualizer> visualizers = new ArrayList<>();
            for (ExtensionUse use : spec.visualizers()) {
                visualizers.add(extension(registry, spec, Visualizer.class, use.id()));
            }
            Params archParams = params(arch, spec.params());
            BuildContext ctx = new BuildContext(
                    train.height(),
                    train.width(),
                    train.channels(),
                    classNames.size(),
                    spec.learningRate(),
                    spec.seed());
            ModelConfiguration model = caller.call("build() of " + arch.id(), () -> arch.build(archParams, ctx));
            if (!(model instanceof ModelConfiguration.Sequential seq)) {
                throw new UnsupportedOperationException("architecture '" + arch.id() + "' describes a graph network;"
                        + " this worker trains layer stacks (MultiLayerConfiguration) only");
            }
            MultiLayerConfiguration conf = seq.configuration();
            int firstEpoch = resume.map(r -> r.epoch() + 1).orElse(1);
            Engine engine = resume.isPresent()
                    ? engines.resume(resume.get().checkpoint(), input, spec.batchSize())
                    : engines.create(conf, input, spec.batchSize());
            try {
                ModelSummary summary = Summaries.of(engine.network(), input);
                reporter.started(device + ", " + engine.description(), summary, data.provenance());

                List<Session> sessions = new ArrayList<>();
                for (ExtensionUse use : spec.callbacks()) {
                    Callback cb = extension(registry, spec, Callback.class, use.id());
                    Params p = params(cb, use.params());
                    sessions.add(new Session(use.id(), caller.call("start() of " + use.id(), () -> cb.start(p))));
                }
                for (EpochMetric done : resume.map(Resume::done).orElse(List.of())) {
                    for (Session s : sessions) {
                        caller.call("onEpochEnd() of " + s.id, () -> s.session.onEpochEnd(toApi(done)));
                    }
                }

                Random shuffle = new Random(spec.seed());
                for (int e = 1; e < firstEpoch; e++) {
                    permutation(train.size(), shuffle); // keep the shuffles of a resumed run identical
                }

                EpochMetric last = resume.flatMap(r -> r.done().stream().reduce((a, b) -> b))
                        .orElse(null);
                String stoppedBy = null;
                String stopReason = null;
                Integer stoppedEpoch = null;
                int restoreEpoch = 0;
                boolean cancelled = false;
                int ppi = train.pixelsPerImage();
                float[] x = new float[spec.batchSize() * ppi];
                int[] labels = new int[spec.batchSize()];

                epochs:
                for (int epoch = firstEpoch; epoch <= spec.epochs(); epoch++) {
                    int[] order = permutation(train.size(), shuffle);
                    double lossSum = 0;
                    long correct = 0;
                    long seen = 0;
                    long t0 = System.nanoTime();
                    int iteration = 0;
                    for (int start = 0; start < order.length; start += spec.batchSize(), iteration++) {
                        if (reporter.cancelRequested()) {
                            cancelled = true;
                            stoppedEpoch = epoch - 1;
                            break epochs;
                        }
                        int n = Math.min(spec.batchSize(), order.length - start);
                        for (int i = 0; i < n; i++) {
                            int idx = order[start + i];
                            System.arraycopy(train.pixels(), idx * ppi, x, i * ppi, ppi);
                            labels[i] = train.labels()[idx];
                        }
                        double[] r =
                                engine.fit(n == spec.batchSize() ? x : java.util.Arrays.copyOf(x, n * ppi), labels, n);
                        double loss = r[0] / n;
                        if (!Double.isFinite(loss)) {
                            throw new ArithmeticException("training loss became " + loss + " at epoch " + epoch
                                    + ", iteration " + iteration + "; try a lower learning rate");
                        }
                        lossSum += r[0];
                        correct += (long) r[1];
                        seen += n;
                        for (Session s : sessions) {
                            final int it = iteration;
                            final int ep = epoch;
                            Decision d =
                                    caller.call("onIteration() of " + s.id, () -> s.session.onIteration(ep, it, loss));
                            if (d != null && d.stop()) {
                                stoppedBy = s.id;
                                stopReason = d.reason();
                                stoppedEpoch = epoch;
                                restoreEpoch = d.restoreEpoch();
                                break epochs;
                            }
                        }
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double[] val = engine.evaluate(test);
                    last = new EpochMetric(
                            epoch, lossSum / seen, (double) correct / seen, val[0], val[1], seconds, seen / seconds);
                    // The checkpoint first: once an epoch's metrics are recorded, it can be resumed after.
                    Path file = checkpointDir.resolve("epoch-" + epoch + ".zip");
                    Files.createDirectories(checkpointDir);
                    engine.save(file);
                    reporter.checkpoint(epoch, file);
                    reporter.epoch(last);
                    LOG.log(Level.DEBUG, "run {0} epoch {1}: {2}", runId, epoch, last);

                    for (Session s : sessions) {
                        EpochMetric m = last;
                        Decision d = caller.call("onEpochEnd() of " + s.id, () -> s.session.onEpochEnd(toApi(m)));
                        if (d != null && d.stop()) {
                            stoppedBy = s.id;
                            stopReason = d.reason();
                            stoppedEpoch = epoch;
                            restoreEpoch = d.restoreEpoch();
                            break epochs;
                        }
                    }
                }

                Double testLoss = last == null ? null : last.valLoss();
                Double testAccuracy = last == null ? null : last.valAccuracy();
                if (restoreEpoch > 0) {
                    Path best = checkpointDir.resolve("epoch-" + restoreEpoch + ".zip");
                    if (!Files.exists(best)) {
                        throw new IllegalStateException("callback " + stoppedBy + " asked to restore epoch "
                                + restoreEpoch + ", which has no checkpoint");
                    }
                    engine.close();
                    engine = engines.resume(best, input, spec.batchSize());
                }
                if (restoreEpoch > 0 || (last == null && !cancelled)) {
                    double[] t = engine.evaluate(test);
                    testLoss = t[0];
                    testAccuracy = t[1];
                }
                if (cancelled) {
                    return new TrainingOutcome(
                            RunStatus.CANCELLED,
                            "cancelled at epoch " + (stoppedEpoch + 1),
                            null,
                            stoppedEpoch,
                            testLoss,
                            testAccuracy,
                            last == null ? 0 : last.epoch());
                }

                int weightsEpoch = restoreEpoch > 0 ? restoreEpoch : last == null ? 0 : last.epoch();
                for (int i = 0; i < spec.visualizers().size(); i++) {
                    ExtensionUse use = spec.visualizers().get(i);
                    Visualizer v = visualizers.get(i);
                    Params p = params(v, use.params());
                    Dl4jVisualizerContext vctx = new Dl4jVisualizerContext(engine, test, classNames);
                    Artifact artifact = caller.call("visualize() of " + use.id(), () -> v.visualize(p, vctx));
                    if (artifact == null) {
                        throw new Guard.PluginFailure("visualize() of " + use.id() + " returned no artifact", null);
                    }
                    reporter.artifact(artifact);
                }
                return stoppedBy == null
                        ? new TrainingOutcome(
                                RunStatus.SUCCEEDED, null, null, null, testLoss, testAccuracy, weightsEpoch)
                        : new TrainingOutcome(
                                RunStatus.STOPPED,
                                stopReason,
                                stoppedBy,
                                stoppedEpoch,
                                testLoss,
                                testAccuracy,
                                weightsEpoch);
            } finally {
                engine.close();
            }
        }
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

    private static Params params(Extension ext, java.util.Map<String, Object> values) {
        ParamSchema.Validation v = ext.params().validate(values);
        if (!v.valid()) {
            throw new IllegalStateException(
                    "stored parameters of " + ext.id() + " no longer fit its schema: " + v.violations());
        }
        return v.params();
    }

    private static EpochMetrics toApi(EpochMetric m) {
        return new EpochMetrics(m.epoch(), m.trainLoss(), m.trainAccuracy(), m.valLoss(), m.valAccuracy());
    }

    private record Session(String id, CallbackSession session) {}
}
