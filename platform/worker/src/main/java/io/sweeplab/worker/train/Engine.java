package io.sweeplab.worker.train;

import io.sweeplab.worker.data.ImageSet;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** What trains a run's network: DL4J itself, or the fast engine for the layer stacks it supports. */
interface Engine extends AutoCloseable {

    /** {@code fast (<kernels>)} or {@code dl4j}. */
    String name();

    /**
     * One training step on a batch.
     *
     * @return the summed loss and the number of correct predictions of the batch (before the update)
     */
    double[] fit(float[] x, int[] labels, int n);

    /** Mean cross-entropy and accuracy over a set, in inference mode. */
    double[] evaluate(ImageSet set);

    /** The DL4J network holding the current weights (for visualizers and summaries). */
    MultiLayerNetwork network();

    /** Writes a checkpoint that {@link Engines#resume} reads back, as a DL4J model zip. */
    void save(Path file) throws IOException;

    @Override
    void close();
}
