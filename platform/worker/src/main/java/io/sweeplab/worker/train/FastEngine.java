package io.sweeplab.worker.train;

import io.sweeplab.engine.FastNet;
import io.sweeplab.engine.Gemm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Sweeplab's fast CPU engine ({@link FastNet}) on a DL4J network that holds the weights between steps. */
final class FastEngine implements Engine {

    /**
     * The fast engine: the lab's layer stacks, on the CPU backend.
     *
     * @param anyBackend also on CUDA (configured {@code engine=fast}), where ND4J's GPU would stay idle
     */
    record Provider(boolean anyBackend) implements EngineProvider {

        @Override
        public String id() {
            return "fast";
        }

        @Override
        public String label() {
            return "fast (" + Gemm.INSTANCE.name() + ")";
        }

        @Override
        public Optional<String> unsupported(
                MultiLayerConfiguration conf, InputType input, Backend backend, CheckpointArchive.Contents from) {
            if (backend != Backend.CPU && !anyBackend) {
                return Optional.of("it is CPU code and this worker computes on " + backend.jsonName()
                        + " (engine=fast would run it anyway)");
            }
            if (from != null && from.adam() == null) {
                return Optional.of("the checkpoint holds DL4J's optimiser state, which it does not read");
            }
            return FastNet.unsupported(conf, input);
        }

        @Override
        public Engine open(
                MultiLayerNetwork net,
                InputType input,
                FastNet.OptimizerState adam,
                int threads,
                int batch,
                String description) {
            FastNet fast = FastNet.fromDl4j(net, input, threads, batch);
            if (adam != null) {
                fast.restore(adam);
            }
            return new FastEngine(fast, net, description);
        }
    }

    private final FastNet fast;
    private final MultiLayerNetwork net;
    private final String description;

    private FastEngine(FastNet fast, MultiLayerNetwork net, String description) {
        this.fast = fast;
        this.net = net;
        this.description = description;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public double[] fit(float[] x, int[] labels, int n) {
        FastNet.BatchResult r = fast.train(x, labels, n);
        return new double[] {r.lossSum(), r.correct()};
    }

    @Override
    public float[] predict(float[] x, int n) {
        return fast.predict(x, n);
    }

    @Override
    public MultiLayerNetwork network() {
        fast.writeWeights(net);
        return net;
    }

    @Override
    public void save(Path file) throws IOException {
        CheckpointArchive.write(file, network(), false, fast.optimizerState());
    }

    @Override
    public void close() {
        fast.close();
    }
}
