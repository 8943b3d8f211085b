package io.sweeplab.worker.train;

import io.sweeplab.plugin.api.ImageSet;
import io.sweeplab.plugin.api.LayerOutput;
import io.sweeplab.plugin.api.LayerWeights;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.plugin.api.VisualizerContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained network and its test set, as visualizers see them. The class probabilities come from the engine that
 * trained the run, the way its test accuracy was measured, so a confusion matrix agrees with the recorded accuracy to
 * the image; the layer outputs and weights come from the DL4J network that holds the weights.
 */
final class Dl4jVisualizerContext implements VisualizerContext {

    private static final Tensor.Axis Y = Tensor.Axis.of("y");
    private static final Tensor.Axis X = Tensor.Axis.of("x");

    private final Engine engine;
    private final MultiLayerNetwork net;
    private final ImageSet test;
    private final List<String> classNames;

    Dl4jVisualizerContext(Engine engine, ImageSet test, List<String> classNames) {
        this.engine = engine;
        this.net = engine.network();
        this.test = test;
        this.classNames = List.copyOf(classNames);
    }

    @Override
    public int testSetSize() {
        return test.size();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int[] testLabels(int... indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = test.labels()[check(indices[i])];
        }
        return out;
    }

    @Override
    public List<LayerOutput> layerOutputs(int... indices) {
        ImageSet chosen = test.select(checkAll(indices));
        INDArray x = Nd4j.create(chosen.pixels(), new long[] {chosen.size(), chosen.pixelsPerImage()});
        List<INDArray> acts = net.feedForward(x, false); // [input, layer 0, layer 1, ...]
        Tensor.Axis image = Tensor.Axis.labelled("image", names(indices));
        List<LayerOutput> out = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer conf = layer(i);
            String name = name(conf, i);
            int[] shape = shape(acts.get(i + 1));
            List<Tensor.Axis> axes = switch (shape.length) {
                case 4 -> List.of(image, Tensor.Axis.of("channel"), Y, X);
                case 2 -> List.of(image, Tensor.Axis.of("unit"));
                default -> List.of();
            };
            out.add(new LayerOutput(i, name, Summaries.kerasType(conf), tensor(name, acts.get(i + 1), shape, axes)));
        }
        return out;
    }

    /** In batches of {@link Engine#EVAL_BATCH} images, so the whole test set needs little memory at a time. */
    @Override
    public float[][] classProbabilities(int... indices) {
        checkAll(indices);
        int ppi = test.pixelsPerImage();
        float[][] out = new float[indices.length][];
        for (int start = 0; start < indices.length; start += Engine.EVAL_BATCH) {
            int n = Math.min(Engine.EVAL_BATCH, indices.length - start);
            float[] x = new float[n * ppi];
            for (int i = 0; i < n; i++) {
                System.arraycopy(test.pixels(), indices[start + i] * ppi, x, i * ppi, ppi);
            }
            float[] p = engine.predict(x, n);
            int classes = p.length / n;
            for (int i = 0; i < n; i++) {
                out[start + i] = java.util.Arrays.copyOfRange(p, i * classes, (i + 1) * classes);
            }
        }
        return out;
    }

    @Override
    public Tensor testImages(int... indices) {
        ImageSet chosen = test.select(checkAll(indices));
        Tensor.Axis image = Tensor.Axis.labelled("image", names(indices));
        return chosen.channels() == 1
                ? Tensor.of(
                        "images",
                        new int[] {chosen.size(), chosen.height(), chosen.width()},
                        chosen.pixels(),
                        image,
                        Y,
                        X)
                : Tensor.of(
                        "images",
                        new int[] {chosen.size(), chosen.channels(), chosen.height(), chosen.width()},
                        chosen.pixels(),
                        image,
                        Tensor.Axis.of("channel"),
                        Y,
                        X);
    }

    /**
     * DL4J's parameters by layer: a convolution's {@code W} is {@code [out, in, kh, kw]} (axes {@code filter,
     * channel, y, x}), a dense layer's {@code [inputs, units]} (axes {@code input, unit}); biases, which DL4J keeps as
     * {@code [1, out]}, become {@code [out]} along {@code filter} or {@code unit}.
     */
    @Override
    public List<LayerWeights> layerWeights() {
        List<LayerWeights> out = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer conf = layer(i);
            boolean conv = conf instanceof ConvolutionLayer;
            String along = conv ? "filter" : "unit";
            Map<String, Tensor> params = new LinkedHashMap<>();
            for (Map.Entry<String, INDArray> p : net.getLayer(i).paramTable().entrySet()) {
                INDArray a = p.getValue();
                String key = p.getKey();
                if (key.equals("W") && conv && a.rank() == 4) {
                    params.put(
                            key,
                            tensor(
                                    key,
                                    a,
                                    shape(a),
                                    List.of(Tensor.Axis.of("filter"), Tensor.Axis.of("channel"), Y, X)));
                } else if (key.equals("W") && a.rank() == 2) {
                    params.put(key, tensor(key, a, shape(a), List.of(Tensor.Axis.of("input"), Tensor.Axis.of("unit"))));
                } else if (key.equals("b") && a.length() == a.size(-1)) {
                    params.put(key, tensor(key, a, new int[] {(int) a.length()}, List.of(Tensor.Axis.of(along))));
                } else {
                    params.put(key, tensor(key, a, shape(a), List.of()));
                }
            }
            out.add(new LayerWeights(i, name(conf, i), Summaries.kerasType(conf), params));
        }
        return out;
    }

    private Layer layer(int i) {
        return net.getLayerWiseConfigurations().getConf(i).getLayer();
    }

    private static String name(Layer conf, int i) {
        return conf.getLayerName() == null ? "layer_" + i : conf.getLayerName();
    }

    private static int[] shape(INDArray a) {
        long[] s = a.shape();
        int[] shape = new int[s.length];
        for (int d = 0; d < s.length; d++) {
            shape[d] = (int) s[d];
        }
        return shape;
    }

    /** A copy of the values, row-major, as floats. */
    private static Tensor tensor(String name, INDArray a, int[] shape, List<Tensor.Axis> axes) {
        float[] data = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        return new Tensor(name, shape, data, axes);
    }

    private static List<String> names(int[] indices) {
        List<String> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(Integer.toString(i));
        }
        return out;
    }

    private int[] checkAll(int[] indices) {
        for (int i : indices) {
            check(i);
        }
        return indices;
    }

    private int check(int index) {
        if (index < 0 || index >= test.size()) {
            throw new IndexOutOfBoundsException("test image " + index + " is outside the test set of " + test.size());
        }
        return index;
    }
}
