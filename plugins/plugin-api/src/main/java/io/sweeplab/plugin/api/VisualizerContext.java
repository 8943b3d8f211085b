package io.sweeplab.plugin.api;

import java.util.List;

/** Read access to a trained model and its test set, independent of the engine that trained it. */
public interface VisualizerContext {

    /** The number of images in the test set the run was evaluated on. */
    int testSetSize();

    /** The class names, indexed by label. */
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
}
