package io.sweeplab.plugin.api;

import java.util.Objects;

/**
 * One layer's output for a batch of images.
 *
 * @param index the 0-based position of the layer in the network
 * @param name the layer's name, for example {@code conv2d_1}
 * @param type the layer's kind, for example {@code Conv2D}, {@code MaxPooling2D}, {@code Dense}
 * @param output the values, batch first
 */
public record LayerOutput(int index, String name, String type, Tensor output) {
    public LayerOutput {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(output, "output");
    }
}
