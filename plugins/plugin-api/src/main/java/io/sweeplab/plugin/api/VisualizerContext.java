package io.sweeplab.plugin.api;

import java.util.List;

/**
 * Read access to a trained model and its test set, independent of the engine that trained it.
 *
 * <p>Methods added after API 1.0 are default methods that throw {@link UnsupportedOperationException}, so contexts
 * written against 1.0 (a plugin's own test fakes) keep compiling; the worker's context implements them all.
 */
public interface VisualizerContext {

    /** The number of images in the test set the run was evaluated on. */
    int testSetSize();

    /** The class names of the run's dataset, indexed by label. */
    List<String> classNames();

    /** The label of each given test image. */
    int[] testLabels(int... testIndices);

    /**
     * Runs the given test images through the network in inference mode and returns every layer's output, in layer
     * order, each with the batch as its first dimension (NCHW for convolutional layers).
     *
     * @throws IndexOutOfBoundsException if an index is outside the test set
     */
    List<LayerOutput> layerOutputs(int... testIndices);

    /**
     * The class probabilities the network gives the given test images, {@code [images][classes]}, computed in
     * inference mode in as few passes as memory allows (asking for the whole test set at once is fine).
     *
     * @throws IndexOutOfBoundsException if an index is outside the test set
     * @since 1.1
     */
    default float[][] classProbabilities(int... testIndices) {
        throw new UnsupportedOperationException("this context offers no class probabilities (API 1.1)");
    }

    /**
     * The predicted class (the most probable one) of each given test image.
     *
     * @since 1.1
     */
    default int[] predictions(int... testIndices) {
        float[][] p = classProbabilities(testIndices);
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            int best = 0;
            for (int c = 1; c < p[i].length; c++) {
                if (p[i][c] > p[i][best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * The given test images as the network sees them, a tensor of shape {@code [images, y, x]} (pixels in [0, 1])
     * with axes {@code image} (labelled by test index), {@code y} and {@code x}; for a dataset of several channels
     * (since 1.2) {@code [images, channel, y, x]}, the {@code channel} axis between them.
     *
     * @since 1.1
     */
    default Tensor testImages(int... testIndices) {
        throw new UnsupportedOperationException("this context offers no test images (API 1.1)");
    }

    /**
     * Every layer's learned parameters, in layer order (layers without parameters, such as poolings, included with
     * none).
     *
     * @since 1.1
     */
    default List<LayerWeights> layerWeights() {
        throw new UnsupportedOperationException("this context offers no layer weights (API 1.1)");
    }
}
