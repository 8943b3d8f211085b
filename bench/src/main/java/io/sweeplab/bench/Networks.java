package io.sweeplab.bench;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.BuildContext;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugins.architectures.CnnArchitecture;
import io.sweeplab.plugins.architectures.DenseArchitecture;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The benchmark's networks, each as a DL4J configuration (what the fast engine and DL4J run) and as the same network
 * in DJL (what PyTorch runs): the two built-in architectures with their default parameters, and three variants
 * written the way a plugin author would write them (seed 42, Adam 1e-3, Glorot-uniform weights, zero biases).
 */
final class Networks {

    /** A network by its benchmark name; {@code pytorch} gives DJL's block for NCHW input of 1 x 28 x 28. */
    record Network(String name, Supplier<MultiLayerConfiguration> dl4j, Supplier<Block> pytorch) {}

    static final List<Network> ALL = List.of(
            new Network("lab-dense", () -> builtIn(new DenseArchitecture()), Networks::torchDense),
            new Network("lab-cnn", () -> builtIn(new CnnArchitecture()), () -> torchCnn(false)),
            new Network("cnn-dropout", Networks::cnnDropout, () -> torchCnn(true)),
            new Network("cnn-batchnorm", Networks::cnnBatchNorm, Networks::torchCnnBatchNorm),
            new Network("cnn-deep", Networks::cnnDeep, Networks::torchCnnDeep));

    static final List<String> NAMES = ALL.stream().map(Network::name).toList();
    static final InputType INPUT = InputType.convolutionalFlat(28, 28, 1);
    private static final int CLASSES = 10;
    // DJL's Activation is imported; DL4J's three are named here
    private static final org.nd4j.linalg.activations.Activation RELU = org.nd4j.linalg.activations.Activation.RELU;
    private static final org.nd4j.linalg.activations.Activation IDENTITY =
            org.nd4j.linalg.activations.Activation.IDENTITY;
    private static final org.nd4j.linalg.activations.Activation SOFTMAX =
            org.nd4j.linalg.activations.Activation.SOFTMAX;

    private Networks() {}

    static Network named(String name) {
        return ALL.stream()
                .filter(m -> m.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown model " + name + " (known: " + String.join(",", NAMES) + ")"));
    }

    private static MultiLayerConfiguration builtIn(Architecture a) {
        return ((ModelConfiguration.Sequential)
                        a.build(a.params().validate(Map.of()).params(), new BuildContext(28, 28, 1, CLASSES, 1e-3, 42)))
                .configuration();
    }

    // --- the variants, in DL4J

    private static NeuralNetConfiguration.ListBuilder start() {
        return new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .biasInit(0)
                .list();
    }

    private static ConvolutionLayer conv(
            int filters, int stride, ConvolutionMode mode, org.nd4j.linalg.activations.Activation activation) {
        return new ConvolutionLayer.Builder(3, 3)
                .nOut(filters)
                .stride(stride, stride)
                .convolutionMode(mode)
                .activation(activation)
                .build();
    }

    private static SubsamplingLayer maxPool2() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(2, 2)
                .stride(2, 2)
                .build();
    }

    private static DenseLayer dense128() {
        return new DenseLayer.Builder().nOut(128).activation(RELU).build();
    }

    private static OutputLayer softmax() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(CLASSES)
                .activation(SOFTMAX)
                .build();
    }

    /** The lab's CNN with dropout before the output layer (DL4J's 0.5 is the probability to retain). */
    static MultiLayerConfiguration cnnDropout() {
        return start().layer(conv(32, 1, ConvolutionMode.Truncate, RELU))
                .layer(maxPool2())
                .layer(conv(32, 1, ConvolutionMode.Truncate, RELU))
                .layer(maxPool2())
                .layer(dense128())
                .layer(new DropoutLayer.Builder(0.5).build())
                .layer(softmax())
                .setInputType(INPUT)
                .build();
    }

    /** The lab's CNN with batch normalisation between each convolution and its relu. */
    static MultiLayerConfiguration cnnBatchNorm() {
        return start().layer(conv(32, 1, ConvolutionMode.Truncate, IDENTITY))
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(RELU).build())
                .layer(maxPool2())
                .layer(conv(32, 1, ConvolutionMode.Truncate, IDENTITY))
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(RELU).build())
                .layer(maxPool2())
                .layer(dense128())
                .layer(softmax())
                .setInputType(INPUT)
                .build();
    }

    /** Four same-padded convolutions, two of them with stride 2 (28 -> 14 -> 7), and global average pooling. */
    static MultiLayerConfiguration cnnDeep() {
        return start().layer(conv(16, 1, ConvolutionMode.Same, RELU))
                .layer(conv(32, 2, ConvolutionMode.Same, RELU))
                .layer(conv(32, 1, ConvolutionMode.Same, RELU))
                .layer(conv(64, 2, ConvolutionMode.Same, RELU))
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(softmax())
                .setInputType(INPUT)
                .build();
    }

    // --- the same networks in DJL (logits out; the loss applies the softmax)

    private static Block torchConv(int filters, int stride, int padding) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .setFilters(filters)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .build();
    }

    private static Block torchMaxPool2() {
        return Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2));
    }

    private static SequentialBlock torchHead(SequentialBlock block) {
        return block.add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(128).build())
                .add(Activation.reluBlock());
    }

    static Block torchDense() {
        return torchHead(new SequentialBlock())
                .add(Linear.builder().setUnits(CLASSES).build());
    }

    static Block torchCnn(boolean dropout) {
        SequentialBlock block = torchHead(new SequentialBlock()
                .add(torchConv(32, 1, 0))
                .add(Activation.reluBlock())
                .add(torchMaxPool2())
                .add(torchConv(32, 1, 0))
                .add(Activation.reluBlock())
                .add(torchMaxPool2()));
        if (dropout) {
            block.add(Dropout.builder().optRate(0.5f).build()); // PyTorch's 0.5 is the probability to drop
        }
        return block.add(Linear.builder().setUnits(CLASSES).build());
    }

    static Block torchCnnBatchNorm() {
        return torchHead(new SequentialBlock()
                        .add(torchConv(32, 1, 0))
                        .add(BatchNorm.builder().build())
                        .add(Activation.reluBlock())
                        .add(torchMaxPool2())
                        .add(torchConv(32, 1, 0))
                        .add(BatchNorm.builder().build())
                        .add(Activation.reluBlock())
                        .add(torchMaxPool2()))
                .add(Linear.builder().setUnits(CLASSES).build());
    }

    static Block torchCnnDeep() {
        return new SequentialBlock()
                .add(torchConv(16, 1, 1))
                .add(Activation.reluBlock())
                .add(torchConv(32, 2, 1))
                .add(Activation.reluBlock())
                .add(torchConv(32, 1, 1))
                .add(Activation.reluBlock())
                .add(torchConv(64, 2, 1))
                .add(Activation.reluBlock())
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(CLASSES).build());
    }
}
