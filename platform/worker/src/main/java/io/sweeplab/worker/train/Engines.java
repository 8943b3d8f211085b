package io.sweeplab.worker.train;

import io.sweeplab.worker.data.ImageSet;
import io.sweeplab.worker.engine.FastNet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Chooses and opens engines, fresh or from a checkpoint. */
final class Engines {

    /** The checkpoint entry holding the fast engine's Adam state. */
    static final String ADAM_ENTRY = "sweeplab-adam-state";

    static final int EVAL_BATCH = 1000;

    private Engines() {}

    /**
     * @param choice {@code auto} (the fast engine where it applies) or {@code dl4j}
     */
    static Engine create(MultiLayerConfiguration conf, InputType input, String choice, int threads, int batch) {
        tune(conf);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return open(net, input, choice, threads, batch, null);
    }

    static Engine resume(Path checkpoint, InputType input, String choice, int threads, int batch) throws IOException {
        FastNet.AdamState adam = readAdam(checkpoint);
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(checkpoint.toFile(), adam == null);
        return open(net, input, adam == null ? "dl4j" : choice, threads, batch, adam);
    }

    /** On a CUDA backend DL4J computes on the GPU; the fast engine is CPU code. */
    static boolean gpuBackend() {
        return Nd4j.getBackend()
                .getClass()
                .getSimpleName()
                .toLowerCase(java.util.Locale.ROOT)
                .contains("cuda");
    }

    /** Why the fast engine does not run this configuration, or empty when it does. */
    static Optional<String> fastUnsupported(MultiLayerConfiguration conf, InputType input) {
        return FastNet.unsupported(conf, input);
    }

    private static Engine open(
            MultiLayerNetwork net, InputType input, String choice, int threads, int batch, FastNet.AdamState adam) {
        if (!"dl4j".equals(choice)
                && FastNet.unsupported(net.getLayerWiseConfigurations(), input).isEmpty()) {
            FastNet fast = FastNet.fromDl4j(net, input, threads, Math.max(batch, EVAL_BATCH));
            if (adam != null) {
                fast.restore(adam);
            }
            return new Fast(fast, net);
        }
        return new Dl4j(net);
    }

    private static FastNet.AdamState readAdam(Path checkpoint) {
        try {
            return ModelSerializer.getObjectFromFile(checkpoint.toFile(), ADAM_ENTRY);
        } catch (RuntimeException e) {
            return null; // written by the DL4J engine, whose updater state is DL4J's own
        }
    }

    /** Host-side settings that do not change what is computed, only how fast. */
    private static void tune(MultiLayerConfiguration conf) {
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            layer.setCacheMode(CacheMode.HOST);
        }
        conf.setCacheMode(CacheMode.HOST);
    }

    static final class Fast implements Engine {
        private final FastNet fast;
        private final MultiLayerNetwork net;

        Fast(FastNet fast, MultiLayerNetwork net) {
            this.fast = fast;
            this.net = net;
        }

        @Override
        public String name() {
            return "fast (" + io.sweeplab.worker.engine.Gemm.INSTANCE.name() + ")";
        }

        @Override
        public double[] fit(float[] x, int[] labels, int n) {
            FastNet.BatchResult r = fast.train(x, labels, n);
            return new double[] {r.lossSum(), r.correct()};
        }

        @Override
        public double[] evaluate(ImageSet set) {
            int ppi = set.pixelsPerImage();
            int classes = fast.classes();
            double loss = 0;
            long correct = 0;
            for (int start = 0; start < set.size(); start += EVAL_BATCH) {
                int n = Math.min(EVAL_BATCH, set.size() - start);
                float[] x = new float[n * ppi];
                System.arraycopy(set.pixels(), start * ppi, x, 0, n * ppi);
                float[] p = fast.predict(x, n);
                for (int i = 0; i < n; i++) {
                    int label = set.labels()[start + i];
                    loss -= Math.log(Math.max(p[i * classes + label], 1e-7f));
                    if (argmax(p, i * classes, classes) == label) {
                        correct++;
                    }
                }
            }
            return new double[] {loss / set.size(), (double) correct / set.size()};
        }

        @Override
        public MultiLayerNetwork network() {
            fast.writeWeights(net);
            return net;
        }

        @Override
        public void save(Path file) throws IOException {
            ModelSerializer.writeModel(network(), file.toFile(), false);
            ModelSerializer.addObjectToFile(file.toFile(), ADAM_ENTRY, fast.adamState());
        }

        @Override
        public void close() {
            fast.close();
        }
    }

    static final class Dl4j implements Engine {
        private final MultiLayerNetwork net;
        private final AccuracyListener accuracy = new AccuracyListener();

        Dl4j(MultiLayerNetwork net) {
            this.net = net;
            net.setListeners(accuracy);
        }

        @Override
        public String name() {
            return "dl4j";
        }

        @Override
        public double[] fit(float[] x, int[] labels, int n) {
            int classes = (int) net.getOutputLayer().getParam("b").length();
            float[] y = new float[n * classes];
            for (int i = 0; i < n; i++) {
                y[i * classes + labels[i]] = 1f;
            }
            accuracy.reset();
            accuracy.labels = labels;
            net.fit(new DataSet(Nd4j.create(x, new long[] {n, x.length / n}), Nd4j.create(y, new long[] {n, classes})));
            return new double[] {net.score() * n, accuracy.correct()};
        }

        @Override
        public double[] evaluate(ImageSet set) {
            int ppi = set.pixelsPerImage();
            double loss = 0;
            long correct = 0;
            for (int start = 0; start < set.size(); start += EVAL_BATCH) {
                int n = Math.min(EVAL_BATCH, set.size() - start);
                float[] x = new float[n * ppi];
                System.arraycopy(set.pixels(), start * ppi, x, 0, n * ppi);
                INDArray out = net.output(Nd4j.create(x, new long[] {n, ppi}), false);
                float[] p = out.data().asFloat();
                int classes = (int) out.size(1);
                for (int i = 0; i < n; i++) {
                    int label = set.labels()[start + i];
                    loss -= Math.log(Math.max(p[i * classes + label], 1e-7f));
                    if (argmax(p, i * classes, classes) == label) {
                        correct++;
                    }
                }
            }
            return new double[] {loss / set.size(), (double) correct / set.size()};
        }

        @Override
        public MultiLayerNetwork network() {
            return net;
        }

        @Override
        public void save(Path file) throws IOException {
            ModelSerializer.writeModel(net, file.toFile(), true);
        }

        @Override
        public void close() {}
    }

    static int argmax(float[] p, int off, int n) {
        int best = 0;
        for (int c = 1; c < n; c++) {
            if (p[off + c] > p[off + best]) {
                best = c;
            }
        }
        return best;
    }
}
