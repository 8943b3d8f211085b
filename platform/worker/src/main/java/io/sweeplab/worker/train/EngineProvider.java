package io.sweeplab.worker.train;

import io.sweeplab.engine.FastNet;
import java.util.Optional;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * One way of training a network (model: DJL's {@code EngineProvider}): it says whether it can train a configuration
 * on a backend, starting afresh or from a checkpoint, and if not why; {@link EngineRegistry} asks each in turn.
 */
interface EngineProvider {

    /** {@code fast}, {@code dl4j}: how runs record it. */
    String id();

    /** How the run's device field names it: {@code fast (simd-256bit)}, {@code dl4j}. */
    default String label() {
        return id();
    }

    /**
     * Why this engine cannot train {@code conf} here, or empty when it can.
     *
     * @param from the checkpoint the run resumes from, or {@code null} for a fresh start
     */
    Optional<String> unsupported(
            MultiLayerConfiguration conf, InputType input, Backend backend, CheckpointArchive.Contents from);

    /**
     * Opens an engine on an initialised network.
     *
     * @param adam the fast engine's optimiser state of the checkpoint resumed from, or {@code null}
     * @param description what the run records (the engine and those passed over)
     */
    Engine open(
            MultiLayerNetwork net,
            InputType input,
            FastNet.OptimizerState adam,
            int threads,
            int batch,
            String description);
}
