package io.sweeplab.worker.train;

import io.sweeplab.engine.FastNet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** DL4J's own {@code MultiLayerNetwork.fit}, on the backend ND4J loaded: the CPU, or the GPU on a CUDA build. */
final class Dl4jEngine implements Engine {

    /** DL4J trains every layer stack, on either backend. */
    record Provider() implements EngineProvider {

        @Override
        public String id() {
            return "dl4j";
        }

        @Override
        public Optional<String> unsupported(
                MultiLayerConfiguration conf, InputType input, Backend backend, CheckpointArchive.Contents from) {
            return Optional.empty();
        }

        @Override
        public Engine open(
                MultiLayerNetwork net,
                InputType input,
                FastNet.OptimizerState adam,
                int threads,
                int batch,
                String description) {
            return new Dl4jEngine(
                    net,
                    adam == null
                            ? description
                            : description + "; Adam restarted: the checkpoint holds the fast engine's state");
        }
    }

    /**
     * Bounds ND4J on the CPU to one run's threads per call: its op loops ({@code maxMasterThreads}) and OpenBLAS
     * ({@code openblas_set_num_threads}) take that many threads each time they are called, and each run calls from
     * its own thread, so the runs of all slots together use at most slots x threads. ({@code
     * Environment.setMaxThreads} changes nothing in ND4J 1.0.0-M2.1, and {@code OMP_NUM_THREADS} is read only when
     * the process starts.) Process-wide: a worker calls it once, with the threads of each of its runs.
     */
    static void limitThreads(Backend backend, int threadsPerRun) {
        if (backend == Backend.CPU) {
            Nd4j.getEnvironment().setMaxMasterThreads(threadsPerRun);
            Nd4j.factory().blas().setMaxThreads(threadsPerRun);
        }
    }

    private final MultiLayerNetwork net;
    private final String description;
    private final AccuracyListener accuracy = new AccuracyListener();

    private Dl4jEngine(MultiLayerNetwork net, String description) {
        this.net = net;
        this.description = description;
        net.setListeners(accuracy);
    }

    @Override
    public String description() {
        return description;
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
    public float[] predict(float[] x, int n) {
        return net.output(Nd4j.create(x, new long[] {n, x.length / n}), false)
                .data()
                .asFloat();
    }

    @Override
    public MultiLayerNetwork network() {
        return net;
    }

    @Override
    public void save(Path file) throws IOException {
        CheckpointArchive.write(file, net, true, null);
    }

    @Override
    public void close() {}
}
