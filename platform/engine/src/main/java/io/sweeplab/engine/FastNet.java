package io.sweeplab.engine;

import java.util.Optional;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Sweeplab's fast CPU engine for DL4J layer stacks: it computes what DL4J computes for the configurations it
 * supports ({@link #unsupported} says why not for the others), takes its initial weights from a DL4J network and
 * gives them back, so checkpoints and everything else stay DL4J's.
 *
 * <p>The work is split by job: {@link Planner} compiles a configuration into layers and an {@link Optimizer};
 * {@link WeightLayout} maps DL4J's parameters to the flat vector the layers read; {@link Executor} runs the layers
 * over a batch on its threads. This class ties them together for one training step or one prediction.
 *
 * <p>Why it is fast: channels-last layouts, so convolutions and dense layers are single matrix products over each
 * thread's slice of the batch, done by register-blocked SIMD kernels ({@link Gemm}); no per-operation native calls or
 * allocations.
 */
public final class FastNet implements AutoCloseable {

    final int inH;
    final int inW;
    final int inC;
    final int classes;
    final float[] params;
    private final Planner.Plan plan;
    private final WeightLayout layout;
    private final Optimizer optimizer;
    private final Executor executor;
    private final boolean regularised;

    private FastNet(Planner.Plan plan, int threads, int maxBatch) {
        this.plan = plan;
        this.inH = plan.inH();
        this.inW = plan.inW();
        this.inC = plan.inC();
        this.classes = plan.layers().get(plan.layers().size() - 1).outSize;
        this.optimizer = plan.optimizer();
        this.params = new float[optimizer.paramCount];
        this.layout = new WeightLayout(plan.layers(), plan.dl4jIndex(), plan.flattenOrder());
        this.executor = new Executor(plan.layers(), inH, inW, inC, params.length, threads, maxBatch);
        this.regularised = optimizer.ranges.stream().anyMatch(Optimizer.Range::regularised);
    }

    /** Why this engine cannot run the configuration (the first layer and setting it lacks), or empty when it can. */
    public static Optional<String> unsupported(MultiLayerConfiguration conf, InputType input) {
        try {
            Planner.plan(conf, input);
            return Optional.empty();
        } catch (Planner.Unsupported e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Compiles a DL4J network's configuration and copies its current weights.
     *
     * @param threads threads to split each batch over
     * @param maxBatch the largest training batch it will be given (predictions take any number of images)
     * @throws UnsupportedOperationException when {@link #unsupported} names a reason
     */
    public static FastNet fromDl4j(MultiLayerNetwork net, InputType input, int threads, int maxBatch) {
        Planner.Plan plan;
        try {
            plan = Planner.plan(net.getLayerWiseConfigurations(), input);
        } catch (Planner.Unsupported e) {
            throw new UnsupportedOperationException(e.getMessage());
        }
        FastNet fast = new FastNet(plan, threads, maxBatch);
        fast.readWeights(net);
        return fast;
    }

    /** Trainable parameters (DL4J's, less batch normalisation's running statistics). */
    public int paramCount() {
        return params.length;
    }

    public int inputSize() {
        return inH * inW * inC;
    }

    public int classes() {
        return classes;
    }

    public int threads() {
        return executor.threads();
    }

    /** Copies the weights of a DL4J network of this configuration into this engine. */
    public void readWeights(MultiLayerNetwork net) {
        layout.read(net, params);
    }

    /** Copies this engine's weights into a DL4J network of the same configuration. */
    public void writeWeights(MultiLayerNetwork net) {
        layout.write(params, net);
    }

    /** The optimiser's state, for checkpoints. */
    public OptimizerState optimizerState() {
        return new OptimizerState(optimizer.m.clone(), optimizer.v.clone(), optimizer.step);
    }

    public void restore(OptimizerState state) {
        if (state.m().length != params.length || state.v().length != params.length) {
            throw new IllegalArgumentException(
                    "optimiser state for " + state.m().length + " parameters, network has " + params.length);
        }
        System.arraycopy(state.m(), 0, optimizer.m, 0, params.length);
        System.arraycopy(state.v(), 0, optimizer.v, 0, params.length);
        optimizer.step = state.step();
    }

    /**
     * The optimiser's two state arrays over all trainable parameters (Adam's moments; Nesterov's velocity or
     * RMSProp's mean square in {@code m}) and its step count, stored in checkpoints by the worker.
     */
    public record OptimizerState(float[] m, float[] v, long step) {}

    /** What one training batch gave: the summed loss (with DL4J's regularisation term) and the correct predictions. */
    public record BatchResult(double lossSum, int correct) {}

    /**
     * One optimiser step on a batch.
     *
     * @param x {@code n} images of {@link #inputSize()} floats, DL4J's flat layout
     * @param labels their classes
     */
    public BatchResult train(float[] x, int[] labels, int n) {
        double[] r = executor.train(x, labels, n, params, optimizer.step, plan.seed());
        double loss = r[0];
        if (regularised) {
            loss += n * optimizer.regularisationScore(params);
        }
        update();
        return new BatchResult(loss, (int) r[1]);
    }

    /** The batch-mean gradient of the loss, in this engine's parameter layout, without updating; for tests. */
    float[] gradient(float[] x, int[] labels, int n) {
        executor.train(x, labels, n, params, optimizer.step, plan.seed());
        float[] g = new float[params.length];
        for (int t = 0; t < executor.threads(); t++) {
            float[] gt = executor.gradient(t);
            for (int i = 0; i < g.length; i++) {
                g[i] += gt[i];
            }
        }
        return g;
    }

    /** Class probabilities for {@code n} images, row after row, in inference mode. */
    public float[] predict(float[] x, int n) {
        return executor.predict(x, n, params);
    }

    private void update() {
        int threads = executor.threads();
        int per = (params.length + threads - 1) / threads;
        float[] g = executor.gradient(0);
        optimizer.step++;
        boolean normalise = !optimizer.norms.isEmpty();
        executor.run(t -> {
            int lo = Math.min(params.length, t * per);
            int hi = Math.min(params.length, lo + per);
            for (int o = 1; o < threads; o++) {
                float[] go = executor.gradient(o);
                for (int i = lo; i < hi; i++) {
                    g[i] += go[i];
                }
            }
            if (!normalise) {
                optimizer.apply(params, g, lo, hi);
            }
        });
        if (normalise) {
            optimizer.normalise(g);
            optimizer.apply(params, g, 0, params.length);
        }
        layout.changed(params);
        for (FastLayer l : plan.layers()) {
            l.afterStep();
        }
    }

    @Override
    public void close() {
        executor.close();
    }
}
