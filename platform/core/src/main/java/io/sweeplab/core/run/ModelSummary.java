package io.sweeplab.core.run;

import java.util.List;

/**
 * A model's layers as Keras' {@code model.summary()} lists them.
 *
 * @param layers one row per layer, input to output
 * @param totalParams the sum of the layers' parameters
 */
public record ModelSummary(List<Layer> layers, long totalParams) {

    public ModelSummary {
        layers = List.copyOf(layers);
    }

    /**
     * @param name the layer's name, for example {@code conv2d_1}
     * @param type its kind, for example {@code Conv2D}
     * @param outputShape the output shape without the batch dimension, channels last as Keras prints it
     * @param params its trainable parameters
     */
    public record Layer(String name, String type, List<Integer> outputShape, long params) {
        public Layer {
            outputShape = List.copyOf(outputShape);
        }
    }
}
