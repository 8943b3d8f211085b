package io.sweeplab.plugins.architectures;

import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.BuildContext;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.ParamViolation;
import io.sweeplab.plugin.api.Params;
import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * The lab's convolutional network: {@code convLayers} blocks of Conv2D(filters, kernel, relu) and MaxPool(2, 2),
 * then Flatten, Dense(units, relu), Dense(10, softmax). It expresses every variant of the lab's exercises: 16, 32
 * or 64 filters, the final convolution removed, more convolutions, only the first convolution.
 */
public final class CnnArchitecture implements Architecture {

    /** Fashion-MNIST's side; the schema is checked against it, {@link #build} against the real input. */
    private static final ParamSchema PARAMS = ParamSchema.of(
            ParamSpec.ofInt("convLayers", 2, 0, 4, "Number of Conv2D + MaxPool(2, 2) blocks"),
            ParamSpec.ofIntList(
                    "filters",
                    List.of(32, 32),
                    1,
                    1024,
                    "Filters of each convolution, first to last; when shorter than convLayers the last value repeats,"
                            + " values beyond convLayers are unused"),
            ParamSpec.ofInt("kernel", 3, 1, 7, "Side of the square convolution kernel"),
            ParamSpec.ofChoice(
                    "padding",
                    "valid",
                    List.of("valid", "same"),
                    "valid: no padding, as in the lab (each convolution trims kernel-1 pixels); same: keep the size"),
            ParamSpec.ofInt("units", 128, 1, 8192, "Neurons in the dense layer after the convolutions"));

    @Override
    public String id() {
        return "cnn";
    }

    @Override
    public String label() {
        return "Convolutional network (lab)";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "The lab's CNN: convolution and max-pooling blocks, then a dense ReLU layer and a softmax.";
    }

    @Override
    public ParamSchema params() {
        return PARAMS;
    }

    @Override
    public List<ParamViolation> validate(Params params) {
        if (params.getIntList("filters").isEmpty() && params.getInt("convLayers") > 0) {
            return List.of(new ParamViolation("filters", "needs at least one value when convLayers > 0"));
        }
        // whether the blocks fit the images is checked by build(), which knows the dataset's shape
        return List.of();
    }

    /** Why the blocks do not fit an input of this size, or null when they do. */
    static String shrinkProblem(Params params, int height, int width) {
        int layers = params.getInt("convLayers");
        int kernel = params.getInt("kernel");
        boolean same = params.getString("padding").equals("same");
        int h = height;
        int w = width;
        for (int i = 1; i <= layers; i++) {
            if (!same) {
                h -= kernel - 1;
                w -= kernel - 1;
            }
            if (h < 2 || w < 2) {
                return "%d convolution blocks with kernel %d and %s padding do not fit a %dx%d image: block %d gets"
                                .formatted(layers, kernel, same ? "same" : "valid", height, width, i)
                        + " less than 2x2 to pool (at most " + (i - 1) + " fit)";
            }
            h /= 2;
            w /= 2;
        }
        return null;
    }

    /** The filter count of 0-based convolution {@code i}. */
    static int filtersOf(List<Integer> filters, int i) {
        return filters.get(Math.min(i, filters.size() - 1));
    }

    @Override
    public ModelConfiguration build(Params params, BuildContext ctx) {
        String problem = shrinkProblem(params, ctx.height(), ctx.width());
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        List<Integer> filters = params.getIntList("filters");
        int kernel = params.getInt("kernel");
        ConvolutionMode mode =
                params.getString("padding").equals("same") ? ConvolutionMode.Same : ConvolutionMode.Truncate;
        NeuralNetConfiguration.ListBuilder list = LabNetworks.start(ctx);
        for (int i = 0; i < params.getInt("convLayers"); i++) {
            list.layer(new ConvolutionLayer.Builder(kernel, kernel)
                    .name("conv2d_" + (i + 1))
                    .nOut(filtersOf(filters, i))
                    .stride(1, 1)
                    .convolutionMode(mode)
                    .activation(Activation.RELU)
                    .build());
            list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                    .name("max_pooling2d_" + (i + 1))
                    .kernelSize(2, 2)
                    .stride(2, 2)
                    .convolutionMode(ConvolutionMode.Truncate)
                    .build());
        }
        return ModelConfiguration.of(list.layer(new DenseLayer.Builder()
                        .name("dense")
                        .nOut(params.getInt("units"))
                        .activation(Activation.RELU)
                        .build())
                .layer(LabNetworks.softmaxOutput(ctx))
                .setInputType(InputType.convolutionalFlat(ctx.height(), ctx.width(), ctx.channels()))
                .build());
    }
}
