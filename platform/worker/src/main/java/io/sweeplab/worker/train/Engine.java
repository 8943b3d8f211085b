package io.sweeplab.worker.train;

import io.sweeplab.plugin.api.ImageSet;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** What trains a run's network: DL4J itself, or the fast engine; {@link EngineRegistry} chooses and opens one. */
interface Engine extends AutoCloseable {

    /** Images per evaluation batch. */
    int EVAL_BATCH = 1000;

    /**
     * What the run records: the engine, and those passed over with why ({@code fast (simd-256bit) engine},
     * {@code dl4j engine (passed over: fast: ...)}).
     */
    String description();

    /**
     * One training step on a batch.
     *
     * @return the summed loss and the number of correct predictions of the batch (before the update)
     */
    double[] fit(float[] x, int[] labels, int n);

    /** Class probabilities of {@code n} images, in inference mode: {@code n} rows of {@code classes} values. */
    float[] predict(float[] x, int n);

    /** The DL4J network holding the current weights (for visualizers and summaries). */
    MultiLayerNetwork network();

    /** Writes a checkpoint that {@link EngineRegistry#resume} reads back (see {@link CheckpointArchive}). */
    void save(Path file) throws IOException;

    @Override
    void close();

    /** Mean cross-entropy and accuracy over a set, in inference mode. */
    default double[] evaluate(ImageSet set) {
        int ppi = set.pixelsPerImage();
        double loss = 0;
        long correct = 0;
        for (int start = 0; start < set.size(); start += EVAL_BATCH) {
            int n = Math.min(EVAL_BATCH, set.size() - start);
            float[] x = new float[n * ppi];
            System.arraycopy(set.pixels(), start * ppi, x, 0, n * ppi);
            float[] p = predict(x, n);
            int classes = p.length / n;
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
