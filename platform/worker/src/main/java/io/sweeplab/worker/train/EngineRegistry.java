package io.sweeplab.worker.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The one place that chooses how a run trains: the engines in order of preference, each saying whether it trains
 * the configuration on this worker's backend (and from the checkpoint resumed from); the first that does is used,
 * and the run records it with the reasons of those passed over. With {@code auto} the fast engine comes first and
 * refuses any backend but the CPU, so a CUDA worker trains on the GPU with DL4J.
 */
public final class EngineRegistry {

    /** The engine choices a worker is configured with ({@code sweeplab.worker.engine}, {@code --engine}). */
    public static final List<String> PREFERENCES = List.of("auto", "fast", "dl4j");

    private final Backend backend;
    private final List<EngineProvider> engines;
    private final int threads;

    /**
     * @param preference {@code auto}: the fast engine where it applies on the CPU, DL4J otherwise; {@code fast}: the
     *     fast engine where it applies, on any backend; {@code dl4j}: always DL4J
     * @param threads CPU threads one run may use
     */
    public EngineRegistry(Backend backend, String preference, int threads) {
        this.backend = backend;
        this.threads = Math.max(1, threads);
        this.engines = switch (preference) {
            case "auto" -> List.of(new FastEngine.Provider(false), new Dl4jEngine.Provider());
            case "fast" -> List.of(new FastEngine.Provider(true), new Dl4jEngine.Provider());
            case "dl4j" -> List.of(new Dl4jEngine.Provider());
            default ->
                throw new IllegalArgumentException("engine must be one of " + PREFERENCES + ", not " + preference);
        };
    }

    /** The engine a configuration trains on here, and why each engine preferred to it does not. */
    record Choice(EngineProvider engine, List<String> passedOver) {

        /** {@code dl4j engine (passed over: fast: it is CPU code ...)}. */
        String description() {
            return engine.label() + " engine"
                    + (passedOver.isEmpty() ? "" : " (passed over: " + String.join("; ", passedOver) + ")");
        }
    }

    /** @param from the checkpoint resumed from, or {@code null} */
    Choice choose(MultiLayerConfiguration conf, InputType input, CheckpointArchive.Contents from) {
        List<String> passed = new ArrayList<>();
        for (EngineProvider e : engines) {
            Optional<String> why = e.unsupported(conf, input, backend, from);
            if (why.isEmpty()) {
                return new Choice(e, List.copyOf(passed));
            }
            passed.add(e.id() + ": " + why.get());
        }
        throw new IllegalStateException("no engine trains this network on " + backend.jsonName() + ": " + passed);
    }

    /** A fresh network of {@code conf}, on the engine chosen for it. */
    Engine create(MultiLayerConfiguration conf, InputType input, int batch) {
        tune(conf);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Choice c = choose(conf, input, null);
        return c.engine().open(net, input, null, threads, batch, c.description());
    }

    /**
     * The network of a checkpoint with its optimiser state, after {@link CheckpointArchive} checked it.
     *
     * @throws CheckpointArchive.InvalidCheckpointException when it is not a checkpoint Sweeplab reads
     */
    Engine resume(Path checkpoint, InputType input, int batch) throws IOException {
        CheckpointArchive.Contents from = CheckpointArchive.read(checkpoint);
        tune(from.conf());
        Choice c = choose(from.conf(), input, from);
        return c.engine().open(from.network(), input, from.adam(), threads, batch, c.description());
    }

    /** Host-side settings that do not change what is computed, only how fast. */
    private static void tune(MultiLayerConfiguration conf) {
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            layer.setCacheMode(CacheMode.HOST);
        }
        conf.setCacheMode(CacheMode.HOST);
    }
}
