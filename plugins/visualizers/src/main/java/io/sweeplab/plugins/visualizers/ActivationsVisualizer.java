package io.sweeplab.plugins.visualizers;

import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.LayerOutput;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.plugin.api.VisualizerContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The lab's activation maps: the output of every spatial layer (the convolutions and poolings, up to the flatten)
 * for a few test images, per channel, so the dashboard can draw the images-by-layers grid for any filter index.
 *
 * <p>The artifact holds one tensor per layer, named after the layer, of shape {@code [images, channels, height,
 * width]} with axes {@code image} (labelled by test index), {@code channel}, {@code y} and {@code x}; the attributes
 * {@code images}, {@code labels} and {@code classes} list the test indices, their labels and class names in order.
 */
public final class ActivationsVisualizer implements Visualizer {

    private static final ParamSchema PARAMS = ParamSchema.of(
            ParamSpec.ofIntList(
                    "images",
                    List.of(0, 23, 28),
                    0,
                    1_000_000,
                    "Test-set indices of the images to show (the lab uses 0, 23 and 28: three shoes)"),
            ParamSpec.ofInt(
                    "layers", 4, 1, 64, "How many of the first convolution and pooling layers to show (the lab: 4)"));

    @Override
    public String id() {
        return "activations";
    }

    @Override
    public String label() {
        return "Activation maps";
    }

    @Override
    public String version() {
        return "1.1.0";
    }

    @Override
    public String description() {
        return "What each convolution and pooling layer makes of chosen test images, channel by channel.";
    }

    @Override
    public ParamSchema params() {
        return PARAMS;
    }

    @Override
    public List<io.sweeplab.plugin.api.ParamViolation> validate(Params params) {
        if (params.getIntList("images").isEmpty()) {
            return List.of(new io.sweeplab.plugin.api.ParamViolation("images", "needs at least one index"));
        }
        return List.of();
    }

    @Override
    public Artifact visualize(Params params, VisualizerContext ctx) {
        int[] images =
                params.getIntList("images").stream().mapToInt(Integer::intValue).toArray();
        for (int i : images) {
            if (i >= ctx.testSetSize()) {
                throw new IndexOutOfBoundsException(
                        "image index " + i + " is outside the test set of " + ctx.testSetSize() + " images");
            }
        }
        Tensor.Axis image = Tensor.Axis.labelled(
                "image",
                java.util.Arrays.stream(images).mapToObj(Integer::toString).toList());
        List<Tensor> maps = new ArrayList<>();
        int layers = params.getInt("layers");
        for (LayerOutput layer : ctx.layerOutputs(images)) {
            if (layer.output().rank() != 4 || maps.size() == layers) {
                break; // the flatten: from here on there is no picture
            }
            maps.add(Tensor.of(
                    layer.name(),
                    layer.output().shape(),
                    layer.output().data(),
                    image,
                    Tensor.Axis.of("channel"),
                    Tensor.Axis.of("y"),
                    Tensor.Axis.of("x")));
        }
        int[] labels = ctx.testLabels(images);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("images", join(images));
        attributes.put("labels", join(labels));
        attributes.put(
                "classes",
                java.util.Arrays.stream(labels)
                        .mapToObj(l -> ctx.classNames().get(l))
                        .collect(Collectors.joining(",")));
        attributes.put("layout", "one tensor per layer, shape [images, channels, height, width]");
        return new Artifact.Tensors("activations", "Activation maps", attributes, maps);
    }

    private static String join(int[] values) {
        return java.util.Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }
}
