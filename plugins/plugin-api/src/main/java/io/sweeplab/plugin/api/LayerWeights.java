package io.sweeplab.plugin.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One layer's learned parameters.
 *
 * @param index the 0-based position of the layer in the network
 * @param name the layer's name, for example {@code conv2d}
 * @param type the layer's kind, for example {@code Conv2D}, {@code MaxPooling2D}, {@code Dense}
 * @param params by name: {@code W} the weights (a convolution's of shape {@code [out channels, in channels, kernel
 *     height, kernel width]} with axes {@code filter, channel, y, x}; a dense layer's {@code [inputs, outputs]} with
 *     axes {@code input, unit}) and {@code b} the biases ({@code [out channels]} along {@code filter}, or {@code
 *     [outputs]} along {@code unit}); empty for a layer without parameters
 * @since 1.1
 */
public record LayerWeights(int index, String name, String type, Map<String, Tensor> params) {
    public LayerWeights {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The weights, if the layer has any. */
    public Optional<Tensor> weights() {
        return Optional.ofNullable(params.get("W"));
    }
}
