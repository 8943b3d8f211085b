package io.sweeplab.plugins.architectures;

import io.sweeplab.plugin.api.BuildContext;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** What the lab's Keras models share: Adam, Glorot-uniform weights, zero biases, a softmax output. */
final class LabNetworks {

    private LabNetworks() {}

    static NeuralNetConfiguration.ListBuilder start(BuildContext ctx) {
        return new NeuralNetConfiguration.Builder()
                .seed(ctx.seed())
                .updater(new Adam(ctx.learningRate()))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .biasInit(0)
                .list();
    }

    static OutputLayer softmaxOutput(BuildContext ctx) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .name("dense_out")
                .nOut(ctx.numClasses())
                .activation(Activation.SOFTMAX)
                .build();
    }
}
