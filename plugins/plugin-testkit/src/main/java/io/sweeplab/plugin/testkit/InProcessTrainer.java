package io.sweeplab.plugin.testkit;

import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.BuildContext;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugin.api.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
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
 * <p>The platform's workers choose among their engines themselves (a worker's fast CPU engine trains the layer
 * stacks it recognises, DL4J all the others) and record the choice and the reasons of those passed over in the run's
 * {@code device} field; this trainer always uses DL4J and says so in {@link Report#engine()} and {@link
 * Report#reason()}.
 */
public final class InProcessTrainer {

    private InProcessTrainer() {}

    /**
     * What a short training did.
     *
     * @param engine the engine that trained it: {@code dl4j}
     * @param reason why that engine, in words
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
        if (model instanceof ModelConfiguration.Sequential s) {
            MultiLayerNetwork mln = new MultiLayerNetwork(s.configuration());
            mln.init();
            net = mln;
            reason = "a layer stack (MultiLayerConfiguration), trained here as a DL4J MultiLayerNetwork on the test's"
                    + " ND4J backend; a worker may train it on its fast CPU engine when it recognises every layer,"
                    + " and records its choice in the run's device field";
        } else {
            ComputationGraph graph = new ComputationGraph(((ModelConfiguration.Graph) model).configuration());
            graph.init();
            net = graph;
            reason = "a graph (ComputationGraphConfiguration), trained here as a DL4J ComputationGraph on the test's"
                    + " ND4J backend";
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
        return new Report("dl4j", reason, net.numParams(), losses);
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
