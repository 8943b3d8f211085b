package com.acme.sweeplab;

import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.BuildContext;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.Params;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** One convolution block, then a dense layer whose inputs are dropped out at the given rate while training. */
public class CnnDropout implements Architecture {

    @Override
    public String id() {
        return "acme-cnn-dropout";
    }

    @Override
    public String label() {
        return "CNN with dropout (Acme)";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "A 3x3 convolution and a 2x2 max pooling, then a dense layer with dropout on its inputs.";
    }

    @Override
    public ParamSchema params() {
        return ParamSchema.of(
                ParamSpec.ofInt("filters", 32, 4, 128, "filters of the convolution"),
                ParamSpec.ofInt("units", 64, 8, 512, "units of the dense layer"),
                ParamSpec.ofDouble(
                        "dropout", 0.5, 0.0, 0.9, "share of the dense layer's inputs dropped while training"));
    }

    @Override
    public ModelConfiguration build(Params params, BuildContext ctx) {
        double dropout = params.getDouble("dropout");
        DenseLayer.Builder dense = new DenseLayer.Builder()
                .name("dense")
                .nOut(params.getInt("units"))
                .activation(Activation.RELU);
        if (dropout > 0) {
            dense.dropOut(1 - dropout); // DL4J takes the probability of keeping an input
        }
        return ModelConfiguration.of(new NeuralNetConfiguration.Builder()
                .seed(ctx.seed())
                .updater(new Adam(ctx.learningRate()))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .name("conv2d_1")
                        .nOut(params.getInt("filters"))
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .name("max_pooling2d_1")
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(dense.build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("output")
                        .nOut(ctx.numClasses())
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(ctx.height(), ctx.width(), ctx.channels()))
                .build());
    }
}
