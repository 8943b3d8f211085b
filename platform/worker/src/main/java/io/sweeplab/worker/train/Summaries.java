package io.sweeplab.worker.train;

import io.sweeplab.core.run.ModelSummary;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Keras-style summaries of DL4J networks: Keras' layer names and types, shapes channels-last, a Flatten row. */
final class Summaries {

    private Summaries() {}

    static ModelSummary of(MultiLayerNetwork net, InputType input) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        List<InputType> types = conf.getLayerActivationTypes(input);
        List<ModelSummary.Layer> rows = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            InputPreProcessor pre = conf.getInputPreProcess(i);
            boolean flattenInput = pre instanceof CnnToFeedForwardPreProcessor
                    || (i == 0
                            && input.getType() == InputType.Type.CNNFlat
                            && !(layer instanceof ConvolutionLayer)
                            && !(layer instanceof SubsamplingLayer));
            if (flattenInput) {
                InputType before = i == 0 ? input : types.get(i - 1);
                rows.add(new ModelSummary.Layer(
                        "flatten", "Flatten", List.of((int) before.arrayElementsPerExample()), 0));
            }
            rows.add(new ModelSummary.Layer(
                    layer.getLayerName() == null ? "layer_" + i : layer.getLayerName(),
                    kerasType(layer),
                    shape(types.get(i)),
                    net.getLayer(i).numParams()));
        }
        return new ModelSummary(rows, net.numParams());
    }

    static String kerasType(Layer layer) {
        if (layer instanceof ConvolutionLayer) {
            return "Conv2D";
        }
        if (layer instanceof SubsamplingLayer s) {
            return s.getPoolingType() == org.deeplearning4j.nn.conf.layers.PoolingType.MAX
                    ? "MaxPooling2D"
                    : "AveragePooling2D";
        }
        if (layer instanceof DenseLayer || layer instanceof OutputLayer) {
            return "Dense";
        }
        return layer.getClass().getSimpleName();
    }

    /** Without the batch dimension; convolutional shapes as Keras prints them, (height, width, channels). */
    static List<Integer> shape(InputType t) {
        if (t instanceof InputType.InputTypeConvolutional c) {
            return List.of((int) c.getHeight(), (int) c.getWidth(), (int) c.getChannels());
        }
        if (t instanceof InputType.InputTypeConvolutionalFlat f) {
            return List.of((int) f.getFlattenedSize());
        }
        return List.of((int) t.arrayElementsPerExample());
    }
}
