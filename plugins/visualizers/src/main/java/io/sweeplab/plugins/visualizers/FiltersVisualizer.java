package io.sweeplab.plugins.visualizers;

import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.LayerWeights;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.plugin.api.VisualizerContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernels of the network's first convolution (the first layer whose weights have four dimensions, {@code
 * [filters, channels, kernel height, kernel width]}) as small images.
 *
 * <p>The artifact {@code filters} holds one tensor named after that layer, of shape {@code [filters, kernel height,
 * kernel width]} when the layer sees one input channel (a greyscale image) and {@code [filters, channels, kernel
 * height, kernel width]} otherwise, with axes {@code filter} (labelled {@code filter 0, filter 1, ...}), {@code
 * channel}, {@code y} and {@code x}. A network without a convolution gets the same kind of artifact with no tensor
 * and the attribute {@code note}, so that a sweep over the number of convolutions compares one kind of artifact
 * across all its runs.
 */
public final class FiltersVisualizer implements Visualizer {

    @Override
    public String id() {
        return "filters";
    }

    @Override
    public String label() {
        return "Convolution filters";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "The kernels the first convolution learned, one small image per filter.";
    }

    @Override
    public Artifact visualize(Params params, VisualizerContext ctx) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Optional<LayerWeights> conv = ctx.layerWeights().stream()
                .filter(l -> l.weights().map(w -> w.rank() == 4).orElse(false))
                .findFirst();
        if (conv.isEmpty()) {
            attributes.put("note", "this network has no convolution layer");
            return new Artifact.Tensors("filters", "Convolution filters", attributes, List.of());
        }
        LayerWeights layer = conv.get();
        Tensor w = layer.weights().orElseThrow();
        int filters = w.size(0);
        int channels = w.size(1);
        List<String> names = new ArrayList<>(filters);
        for (int f = 0; f < filters; f++) {
            names.add("filter " + f);
        }
        Tensor.Axis filter = Tensor.Axis.labelled("filter", names);
        Tensor kernels = channels == 1
                ? Tensor.of(
                        layer.name(),
                        new int[] {filters, w.size(2), w.size(3)},
                        w.data(),
                        filter,
                        Tensor.Axis.of("y"),
                        Tensor.Axis.of("x"))
                : Tensor.of(
                        layer.name(),
                        w.shape(),
                        w.data(),
                        filter,
                        Tensor.Axis.of("channel"),
                        Tensor.Axis.of("y"),
                        Tensor.Axis.of("x"));
        attributes.put("layer", layer.name());
        attributes.put("filters", Integer.toString(filters));
        attributes.put("channels", Integer.toString(channels));
        attributes.put("kernel", w.size(2) + "x" + w.size(3));
        return new Artifact.Tensors("filters", "Convolution filters", attributes, List.of(kernels));
    }
}
