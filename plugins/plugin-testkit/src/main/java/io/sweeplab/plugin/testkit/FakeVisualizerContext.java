package io.sweeplab.plugin.testkit;

import io.sweeplab.plugin.api.LayerOutput;
import io.sweeplab.plugin.api.LayerWeights;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.plugin.api.VisualizerContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link VisualizerContext} made of given values, for testing a visualizer without a trained network: the test
 * labels, and as the visualizer needs them the class probabilities, the test images, the layer weights and the layer
 * outputs. What was not given throws {@link UnsupportedOperationException}, as a context without it would; an index
 * outside the test set throws {@link IndexOutOfBoundsException}, as the worker's context does.
 *
 * <pre>{@code
 * VisualizerContext ctx = FakeVisualizerContext.builder(List.of("cat", "dog"), 0, 1, 1)
 *         .predictions(new int[] {0, 0, 1}, 0.9f)
 *         .images(2, 2, new float[3 * 4])
 *         .layerWeights(FakeVisualizerContext.convolution(0, "conv2d_1", 4, 1, 3, 3, new float[4 * 9]))
 *         .build();
 * }</pre>
 */
public final class FakeVisualizerContext implements VisualizerContext {

    private final List<String> classNames;
    private final int[] labels;
    private final float[][] probabilities;
    private final int height;
    private final int width;
    private final float[] pixels;
    private final List<LayerWeights> weights;
    private final Function<int[], List<LayerOutput>> outputs;

    private FakeVisualizerContext(Builder b) {
        this.classNames = b.classNames;
        this.labels = b.labels;
        this.probabilities = b.probabilities;
        this.height = b.height;
        this.width = b.width;
        this.pixels = b.pixels;
        this.weights = b.weights;
        this.outputs = b.outputs;
    }

    /**
     * Starts a context.
     *
     * @param classNames the class names, indexed by label
     * @param labels the label of each test image; their number is the size of the test set
     */
    public static Builder builder(List<String> classNames, int... labels) {
        return new Builder(classNames, labels);
    }

    /**
     * A convolution's parameters as the worker gives them: {@code W} of shape {@code [filters, channels, kernel
     * height, kernel width]} with axes {@code filter, channel, y, x}, and zero biases {@code b} along {@code filter}.
     */
    public static LayerWeights convolution(
            int index, String name, int filters, int channels, int kernelHeight, int kernelWidth, float[] weights) {
        Tensor w = Tensor.of(
                "W",
                new int[] {filters, channels, kernelHeight, kernelWidth},
                weights,
                Tensor.Axis.of("filter"),
                Tensor.Axis.of("channel"),
                Tensor.Axis.of("y"),
                Tensor.Axis.of("x"));
        Tensor b = Tensor.of("b", new int[] {filters}, new float[filters], Tensor.Axis.of("filter"));
        return new LayerWeights(index, name, "Conv2D", Map.of("W", w, "b", b));
    }

    /**
     * A dense layer's parameters as the worker gives them: {@code W} of shape {@code [inputs, units]} with axes
     * {@code input, unit}, and zero biases {@code b} along {@code unit}.
     */
    public static LayerWeights dense(int index, String name, int inputs, int units, float[] weights) {
        Tensor w = Tensor.of("W", new int[] {inputs, units}, weights, Tensor.Axis.of("input"), Tensor.Axis.of("unit"));
        Tensor b = Tensor.of("b", new int[] {units}, new float[units], Tensor.Axis.of("unit"));
        return new LayerWeights(index, name, "Dense", Map.of("W", w, "b", b));
    }

    /** A layer without parameters, such as a pooling. */
    public static LayerWeights none(int index, String name, String type) {
        return new LayerWeights(index, name, type, Map.of());
    }

    @Override
    public int testSetSize() {
        return labels.length;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int[] testLabels(int... testIndices) {
        int[] out = new int[testIndices.length];
        for (int i = 0; i < testIndices.length; i++) {
            out[i] = labels[check(testIndices[i])];
        }
        return out;
    }

    @Override
    public List<LayerOutput> layerOutputs(int... testIndices) {
        checkAll(testIndices);
        if (outputs == null) {
            throw new UnsupportedOperationException("this fake has no layer outputs: give them with layerOutputs()");
        }
        return outputs.apply(testIndices.clone());
    }

    @Override
    public float[][] classProbabilities(int... testIndices) {
        checkAll(testIndices);
        if (probabilities == null) {
            throw new UnsupportedOperationException(
                    "this fake has no class probabilities: give them with probabilities() or predictions()");
        }
        float[][] out = new float[testIndices.length][];
        for (int i = 0; i < testIndices.length; i++) {
            out[i] = probabilities[testIndices[i]].clone();
        }
        return out;
    }

    @Override
    public Tensor testImages(int... testIndices) {
        checkAll(testIndices);
        if (pixels == null) {
            throw new UnsupportedOperationException("this fake has no test images: give them with images()");
        }
        int ppi = height * width;
        float[] data = new float[testIndices.length * ppi];
        List<String> names = new ArrayList<>(testIndices.length);
        for (int i = 0; i < testIndices.length; i++) {
            System.arraycopy(pixels, testIndices[i] * ppi, data, i * ppi, ppi);
            names.add(Integer.toString(testIndices[i]));
        }
        return Tensor.of(
                "images",
                new int[] {testIndices.length, height, width},
                data,
                Tensor.Axis.labelled("image", names),
                Tensor.Axis.of("y"),
                Tensor.Axis.of("x"));
    }

    @Override
    public List<LayerWeights> layerWeights() {
        if (weights == null) {
            throw new UnsupportedOperationException("this fake has no layer weights: give them with layerWeights()");
        }
        return weights;
    }

    private void checkAll(int[] indices) {
        for (int i : indices) {
            check(i);
        }
    }

    private int check(int index) {
        if (index < 0 || index >= labels.length) {
            throw new IndexOutOfBoundsException("test image " + index + " is outside the test set of " + labels.length);
        }
        return index;
    }

    /** Collects the values of a {@link FakeVisualizerContext}. */
    public static final class Builder {
        private final List<String> classNames;
        private final int[] labels;
        private float[][] probabilities;
        private int height;
        private int width;
        private float[] pixels;
        private List<LayerWeights> weights;
        private Function<int[], List<LayerOutput>> outputs;

        private Builder(List<String> classNames, int[] labels) {
            this.classNames = List.copyOf(classNames);
            this.labels = labels.clone();
            for (int l : this.labels) {
                if (l < 0 || l >= this.classNames.size()) {
                    throw new IllegalArgumentException(
                            "label " + l + " is not one of the " + this.classNames.size() + " classes");
                }
            }
        }

        /** The class probabilities of every test image, {@code [images][classes]}. */
        public Builder probabilities(float[][] probabilities) {
            if (probabilities.length != labels.length) {
                throw new IllegalArgumentException(
                        probabilities.length + " rows of probabilities for " + labels.length + " test images");
            }
            float[][] copy = new float[probabilities.length][];
            for (int i = 0; i < probabilities.length; i++) {
                if (probabilities[i].length != classNames.size()) {
                    throw new IllegalArgumentException("row " + i + " has " + probabilities[i].length
                            + " probabilities for " + classNames.size() + " classes");
                }
                copy[i] = probabilities[i].clone();
            }
            this.probabilities = copy;
            return this;
        }

        /**
         * Probabilities that make these the predictions: {@code confidence} on the predicted class, the rest shared
         * evenly among the others.
         *
         * @param confidence more than {@code 1 / classes}, so that the predicted class is the most probable
         */
        public Builder predictions(int[] predicted, float confidence) {
            int classes = classNames.size();
            if (classes > 1 && confidence <= 1f / classes) {
                throw new IllegalArgumentException("confidence " + confidence + " would not make the prediction the"
                        + " most probable of " + classes + " classes");
            }
            float[][] p = new float[predicted.length][classes];
            for (int i = 0; i < predicted.length; i++) {
                Arrays.fill(p[i], classes > 1 ? (1f - confidence) / (classes - 1) : 0f);
                p[i][predicted[i]] = classes > 1 ? confidence : 1f;
            }
            return probabilities(p);
        }

        /** The test images, {@code height * width} pixels each, one after the other. */
        public Builder images(int height, int width, float[] pixels) {
            if (pixels.length != (long) labels.length * height * width) {
                throw new IllegalArgumentException(
                        pixels.length + " pixels are not " + labels.length + " images of " + height + "x" + width);
            }
            this.height = height;
            this.width = width;
            this.pixels = pixels.clone();
            return this;
        }

        /** Every layer's parameters, in layer order (see {@link #convolution}, {@link #dense}, {@link #none}). */
        public Builder layerWeights(LayerWeights... layers) {
            this.weights = List.of(layers);
            return this;
        }

        /** What {@link VisualizerContext#layerOutputs} answers for the asked test indices. */
        public Builder layerOutputs(Function<int[], List<LayerOutput>> outputs) {
            this.outputs = Objects.requireNonNull(outputs);
            return this;
        }

        public FakeVisualizerContext build() {
            return new FakeVisualizerContext(this);
        }
    }
}
