package io.sweeplab.worker.train;

import io.sweeplab.core.plugin.Guard;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ExtensionUse;
import io.sweeplab.core.run.RunSpec;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.CallbackSession;
import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.EpochMetrics;
import io.sweeplab.plugin.api.ImageSet;
import io.sweeplab.plugin.api.Visualizer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * One run's training once its network is built and its engine open: the epochs (shuffled each epoch, as Keras
 * does), a checkpoint and the metrics after each, the callbacks' stop decisions, and the end: the epoch a callback
 * restores, the test evaluation, the visualizers and the outcome. Closing it closes the engine.
 */
final class TrainingRun implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TrainingRun.class.getName());

    /** A callback started for this run. */
    record Session(String id, CallbackSession session) {}

    /**
     * Why the epochs ended before the last: a callback asked ({@code by}, its reason and the epoch to restore, 0
     * for none) or the run was cancelled.
     *
     * @param epoch the epoch after which it stopped (for a cancel, the last whole epoch)
     */
    record Stop(RunStatus status, String by, String reason, int epoch, int restoreEpoch) {

        static Stop asked(String callback, Decision d, int epoch) {
            return new Stop(RunStatus.STOPPED, callback, d.reason(), epoch, d.restoreEpoch());
        }

        static Stop cancelled(int afterEpoch) {
            return new Stop(RunStatus.CANCELLED, null, "cancelled at epoch " + (afterEpoch + 1), afterEpoch, 0);
        }
    }

    private final long runId;
    private final RunSpec spec;
    private final ImageSet train;
    private final ImageSet test;
    private final List<String> classNames;
    private final Path checkpointDir;
    private final TrainingReporter reporter;
    private final PluginCaller caller;
    private final EngineRegistry engines;
    private final InputType input;
    private final float[] x;
    private final int[] labels;
    private Engine engine;
    private List<Session> sessions = List.of();
    /** The metrics of the last epoch recorded, this run's or, when resumed, its predecessor's. */
    private EpochMetric last;

    TrainingRun(
            long runId,
            RunSpec spec,
            ImageSet train,
            ImageSet test,
            List<String> classNames,
            Path checkpointDir,
            TrainingReporter reporter,
            PluginCaller caller,
            EngineRegistry engines,
            InputType input,
            Engine engine) {
        this.runId = runId;
        this.spec = spec;
        this.train = train;
        this.test = test;
        this.classNames = classNames;
        this.checkpointDir = checkpointDir;
        this.reporter = reporter;
        this.caller = caller;
        this.engines = engines;
        this.input = input;
        this.engine = engine;
        this.x = new float[spec.batchSize() * train.pixelsPerImage()];
        this.labels = new int[spec.batchSize()];
    }

    /**
     * Trains the epochs left, with these callbacks, and ends the run.
     *
     * @param resume the checkpoint the run continues from: its epochs are done and their shuffles skipped
     */
    TrainingOutcome train(List<Session> callbacks, List<Visualizer> visualizers, Optional<Resume> resume)
            throws Exception {
        sessions = List.copyOf(callbacks);
        List<EpochMetric> done = resume.map(Resume::done).orElse(List.of());
        for (EpochMetric m : done) { // every callback sees the epochs done; their decisions were taken then
            for (Session s : sessions) {
                caller.call("onEpochEnd() of " + s.id(), () -> s.session().onEpochEnd(toApi(m)));
            }
        }
        last = done.isEmpty() ? null : done.get(done.size() - 1);
        int firstEpoch = resume.map(r -> r.epoch() + 1).orElse(1);
        Random shuffle = new Random(spec.seed());
        for (int e = 1; e < firstEpoch; e++) {
            Trainer.permutation(train.size(), shuffle); // keep the shuffles of a resumed run identical
        }
        Stop stop = null;
        for (int epoch = firstEpoch; epoch <= spec.epochs() && stop == null; epoch++) {
            stop = epoch(epoch, Trainer.permutation(train.size(), shuffle));
        }
        return finish(stop, visualizers);
    }

    /** Trains one epoch in this order, records it and asks the callbacks; why it stopped, or null to go on. */
    private Stop epoch(int epoch, int[] order) throws Exception {
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        long t0 = System.nanoTime();
        int iteration = 0;
        for (int start = 0; start < order.length; start += spec.batchSize(), iteration++) {
            if (reporter.cancelRequested()) {
                return Stop.cancelled(epoch - 1);
            }
            int n = batch(order, start);
            double[] r =
                    engine.fit(n == spec.batchSize() ? x : Arrays.copyOf(x, n * train.pixelsPerImage()), labels, n);
            double loss = r[0] / n;
            if (!Double.isFinite(loss)) {
                throw new ArithmeticException("training loss became " + loss + " at epoch " + epoch + ", iteration "
                        + iteration + "; try a lower learning rate");
            }
            lossSum += r[0];
            correct += (long) r[1];
            seen += n;
            int it = iteration;
            Stop stop = ask("onIteration", s -> s.onIteration(epoch, it, loss), epoch);
            if (stop != null) {
                return stop;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[] val = engine.evaluate(test);
        EpochMetric m = new EpochMetric(
                epoch, lossSum / seen, (double) correct / seen, val[0], val[1], seconds, seen / seconds);
        record(m);
        return ask("onEpochEnd", s -> s.onEpochEnd(toApi(m)), epoch);
    }

    /** Copies the images {@code order[start..]} of one batch into {@link #x} and {@link #labels}; how many. */
    private int batch(int[] order, int start) {
        int ppi = train.pixelsPerImage();
        int n = Math.min(spec.batchSize(), order.length - start);
        for (int i = 0; i < n; i++) {
            int idx = order[start + i];
            System.arraycopy(train.pixels(), idx * ppi, x, i * ppi, ppi);
            labels[i] = train.labels()[idx];
        }
        return n;
    }

    /** The checkpoint first: once an epoch's metrics are recorded, it can be resumed after. */
    private void record(EpochMetric m) throws IOException {
        Path file = checkpoint(m.epoch());
        Files.createDirectories(checkpointDir);
        engine.save(file);
        reporter.checkpoint(m.epoch(), file);
        reporter.epoch(m);
        last = m;
        LOG.log(Level.DEBUG, "run {0} epoch {1}: {2}", runId, m.epoch(), m);
    }

    /** Asks each callback in turn; the first that asks to stop stops the run. */
    private Stop ask(String method, Function<CallbackSession, Decision> question, int epoch) throws Exception {
        for (Session s : sessions) {
            Decision d = caller.call(method + "() of " + s.id(), () -> question.apply(s.session()));
            if (d != null && d.stop()) {
                return Stop.asked(s.id(), d, epoch);
            }
        }
        return null;
    }

    /** The weights the run ends with, their test scores, the visualizers' artifacts (unless cancelled). */
    private TrainingOutcome finish(Stop stop, List<Visualizer> visualizers) throws Exception {
        int restore = stop == null ? 0 : stop.restoreEpoch();
        if (restore > 0) {
            restore(stop);
        }
        boolean cancelled = stop != null && stop.status() == RunStatus.CANCELLED;
        double[] scores = testScores(restore > 0, cancelled);
        Double testLoss = scores == null ? null : scores[0];
        Double testAccuracy = scores == null ? null : scores[1];
        if (!cancelled) {
            visualize(visualizers);
        }
        int weightsEpoch = restore > 0 ? restore : last == null ? 0 : last.epoch();
        return stop == null
                ? new TrainingOutcome(RunStatus.SUCCEEDED, null, null, null, testLoss, testAccuracy, weightsEpoch)
                : new TrainingOutcome(
                        stop.status(), stop.reason(), stop.by(), stop.epoch(), testLoss, testAccuracy, weightsEpoch);
    }

    /**
     * The test loss and accuracy the run ends with: the last epoch's validation, unless the weights are another
     * epoch's or no epoch ran; none for a run cancelled before its first epoch.
     */
    private double[] testScores(boolean restored, boolean cancelled) {
        if (restored || (last == null && !cancelled)) {
            return engine.evaluate(test);
        }
        return last == null ? null : new double[] {last.valLoss(), last.valAccuracy()};
    }

    /** Puts back the weights of the epoch a callback asked for. */
    private void restore(Stop stop) throws IOException {
        Path best = checkpoint(stop.restoreEpoch());
        if (!Files.exists(best)) {
            throw new IllegalStateException("callback " + stop.by() + " asked to restore epoch " + stop.restoreEpoch()
                    + ", which has no checkpoint");
        }
        engine.close();
        engine = null;
        engine = engines.resume(best, input, spec.batchSize());
    }

    private void visualize(List<Visualizer> visualizers) throws Exception {
        for (int i = 0; i < spec.visualizers().size(); i++) {
            ExtensionUse use = spec.visualizers().get(i);
            Visualizer v = visualizers.get(i);
            var p = Trainer.params(v, use.params());
            Dl4jVisualizerContext vctx = new Dl4jVisualizerContext(engine, test, classNames);
            Artifact artifact = caller.call("visualize() of " + use.id(), () -> v.visualize(p, vctx));
            if (artifact == null) {
                throw new Guard.PluginFailure("visualize() of " + use.id() + " returned no artifact", null);
            }
            reporter.artifact(artifact);
        }
    }

    private Path checkpoint(int epoch) {
        return checkpointDir.resolve("epoch-" + epoch + ".zip");
    }

    private static EpochMetrics toApi(EpochMetric m) {
        return new EpochMetrics(m.epoch(), m.trainLoss(), m.trainAccuracy(), m.valLoss(), m.valAccuracy());
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
    }
}
