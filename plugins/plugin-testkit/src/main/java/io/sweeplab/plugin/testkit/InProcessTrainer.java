package io.sweeplab.plugin.testkit;

import io.sweeplab.engine.FastNet;
import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.BuildContext;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugin.api.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains an architecture for a few iterations on generated data, in the test's JVM, to show that the configuration
 * it builds initialises and learns with finite losses: a smoke test, not a measure of accuracy.
 *
 * <p>The images are uniform noise in [0, 1] with random labels, fed as the worker feeds them: one row of {@code
 * height * width * channels} pixels per image. Training runs on DL4J with whatever ND4J backend the test class path
 * holds; the testkit picks none, so add {@code org.nd4j:nd4j-native} (with your platform's classifier) in test scope.
 *
 * <p>The platform's workers choose among their engines themselves and record the choice and the reasons of those
 * passed over in the run's {@code device} field: a CPU worker trains a layer stack its fast engine runs on it, and
 * every other on DL4J. {@link Report#engine()} and {@link Report#reason()} say which a CPU worker (engine {@code
 * auto}) would pick and why, with the fast engine's own check ({@code io.sweeplab.engine.FastNet#unsupported}); the
 * few iterations here always run on DL4J.
 */
public final class InProcessTrainer {

    private InProcessTrainer() {}

    /**
     * What a short training did.
     *
     * @param engine the engine a CPU worker would train it on: {@code fast} or {@code dl4j}
     * @param reason why that engine, in words (the fast engine's reason when it passes the network over)
     * @param parameters the network's parameter count
     * @param losses the training loss after each iteration
     */
    public record Report(String engine, String reason, long parameters, List<Double> losses) {
        public Report {
            losses = List.copyOf(losses);
        }

        /** Whether every loss is a finite number. */
        public boolean finite() {
            return !losses.isEmpty() && losses.stream().allMatch(Double::isFinite);
        }
    }

    /**
     * Builds the architecture for the context and trains it on {@code iterations} mini-batches of {@code batch}
     * generated images.
     *
     * @param params values already validated against the architecture's schema
     */
    public static Report train(
            Architecture architecture, Params params, BuildContext context, int iterations, int batch) {
        if (iterations < 1 || batch < 1) {
            throw new IllegalArgumentException("iterations and batch must be at least 1");
        }
        requireBackend();
        ModelConfiguration model = architecture.build(params, context);
        Model net;
        String reason;
        String engine = "dl4j";
        if (model instanceof ModelConfiguration.Sequential s) {
            Optional<String> passedOver = FastNet.unsupported(
                    s.configuration(),
                    InputType.convolutionalFlat(context.height(), context.width(), context.channels()));
            engine = passedOver.isEmpty() ? "fast" : "dl4j";
            reason = passedOver
                    .map(r -> "a CPU worker trains it on DL4J: its fast engine passes it over (" + r + ")")
                    .orElse("a CPU worker trains it on its fast engine, which runs every layer of this stack");
            MultiLayerNetwork mln = new MultiLayerNetwork(s.configuration());
            mln.init();
            net = mln;
        } else {
            ComputationGraph graph = new ComputationGraph(((ModelConfiguration.Graph) model).configuration());
            graph.init();
            net = graph;
            reason = "a graph (ComputationGraphConfiguration): the platform refuses it at launch, workers train layer"
                    + " stacks only (trained here as a DL4J ComputationGraph)";
        }
        Random random = new Random(context.seed());
        int pixels = context.height() * context.width() * context.channels();
        List<Double> losses = new ArrayList<>(iterations);
        for (int i = 0; i < iterations; i++) {
            DataSet data = batch(random, batch, pixels, context.numClasses());
            if (net instanceof MultiLayerNetwork mln) {
                mln.fit(data);
            } else {
                ((ComputationGraph) net).fit(data);
            }
            losses.add(net.score());
        }
        return new Report(engine, reason, net.numParams(), losses);
    }

    private static DataSet batch(Random random, int n, int pixels, int classes) {
        float[] x = new float[n * pixels];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        float[] y = new float[n * classes];
        for (int i = 0; i < n; i++) {
            y[i * classes + random.nextInt(classes)] = 1f;
        }
        INDArray features = Nd4j.create(x, new long[] {n, pixels});
        return new DataSet(features, Nd4j.create(y, new long[] {n, classes}));
    }

    private static void requireBackend() {
        try {
            Nd4j.getBackend();
        } catch (Throwable t) {
            throw new IllegalStateException(
                    "no ND4J backend on the test class path: add org.nd4j:nd4j-native and org.nd4j:nd4j-native with"
                            + " the classifier of your platform (for example linux-x86_64), both in test scope",
                    t);
        }
    }
}
