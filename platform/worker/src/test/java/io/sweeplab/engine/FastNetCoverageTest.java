package io.sweeplab.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Every layer, setting and updater the fast engine covers beyond the lab's, each against DL4J on small random
 * inputs (10 x 10 x 2 images, 6 classes, batches of 8 split over 2 threads): the same inference outputs, the same
 * gradients, and the same parameters and losses after three updater steps.
 */
class FastNetCoverageTest {

    static final int H = 10;
    static final int W = 10;
    static final int C = 2;
    static final int CLASSES = 6;
    static final int BATCH = 8;
    static final InputType INPUT = InputType.convolutionalFlat(H, W, C);

    static NeuralNetConfiguration.ListBuilder base(IUpdater updater, UnaryOperator<NeuralNetConfiguration.Builder> g) {
        return g.apply(new NeuralNetConfiguration.Builder().seed(7).updater(updater))
                .list();
    }

    static OutputLayer output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(CLASSES)
                .activation(Activation.SOFTMAX)
                .build();
    }

    static ConvolutionLayer.Builder conv(int out, int k) {
        return new ConvolutionLayer.Builder(k, k).nOut(out).activation(Activation.RELU);
    }

    static MultiLayerConfiguration stack(
            IUpdater u, UnaryOperator<NeuralNetConfiguration.Builder> g, Object... layers) {
        NeuralNetConfiguration.ListBuilder b = base(u, g);
        for (Object l : layers) {
            b.layer((org.deeplearning4j.nn.conf.layers.Layer) l);
        }
        return b.layer(output()).setInputType(INPUT).build();
    }

    static MultiLayerConfiguration stack(Object... layers) {
        return stack(new Adam(1e-2), x -> x, layers);
    }

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of(
                        "conv stride 2 same, dilation 2, no bias; dense no bias",
                        stack(
                                conv(4, 3)
                                        .stride(2, 2)
                                        .convolutionMode(ConvolutionMode.Same)
                                        .build(),
                                conv(5, 3).dilation(2, 2).hasBias(false).build(),
                                new DenseLayer.Builder()
                                        .nOut(7)
                                        .hasBias(false)
                                        .activation(Activation.TANH)
                                        .build())),
                Arguments.of(
                        "conv stride 2 truncate with padding 1, 4x3 kernel",
                        stack(new ConvolutionLayer.Builder(4, 3)
                                .nOut(3)
                                .stride(2, 2)
                                .padding(1, 1)
                                .activation(Activation.LEAKYRELU)
                                .build())),
                Arguments.of(
                        "max pool 3x3 stride 2, avg pool 2x2",
                        stack(
                                conv(4, 3).build(),
                                new SubsamplingLayer.Builder(PoolingType.MAX)
                                        .kernelSize(3, 3)
                                        .stride(2, 2)
                                        .build(),
                                conv(3, 1).activation(Activation.ELU).build(),
                                new SubsamplingLayer.Builder(PoolingType.AVG)
                                        .kernelSize(2, 2)
                                        .stride(2, 2)
                                        .build())),
                Arguments.of(
                        "avg and max pool 3x3 stride 1 same (padded)",
                        stack(
                                conv(3, 3).build(),
                                new SubsamplingLayer.Builder(PoolingType.AVG)
                                        .kernelSize(3, 3)
                                        .stride(1, 1)
                                        .convolutionMode(ConvolutionMode.Same)
                                        .build(),
                                new SubsamplingLayer.Builder(PoolingType.MAX)
                                        .kernelSize(3, 3)
                                        .stride(2, 2)
                                        .convolutionMode(ConvolutionMode.Same)
                                        .build())),
                Arguments.of(
                        "global average pooling",
                        stack(
                                conv(6, 3)
                                        .stride(2, 2)
                                        .convolutionMode(ConvolutionMode.Same)
                                        .build(),
                                new GlobalPoolingLayer.Builder(PoolingType.AVG).build())),
                Arguments.of(
                        "global max pooling, sigmoid conv",
                        stack(
                                conv(5, 3).activation(Activation.SIGMOID).build(),
                                new GlobalPoolingLayer.Builder(PoolingType.MAX).build())),
                Arguments.of(
                        "batch normalization after conv and after dense, activation layers",
                        stack(
                                // no bias before batch normalisation: its gradient is ~0, and Adam would amplify
                                // rounding noise
                                conv(4, 3)
                                        .activation(Activation.IDENTITY)
                                        .hasBias(false)
                                        .build(),
                                new BatchNormalization.Builder().build(),
                                new ActivationLayer.Builder()
                                        .activation(Activation.RELU)
                                        .build(),
                                new SubsamplingLayer.Builder(PoolingType.MAX)
                                        .kernelSize(2, 2)
                                        .stride(2, 2)
                                        .build(),
                                new DenseLayer.Builder()
                                        .nOut(9)
                                        .hasBias(false)
                                        .activation(Activation.IDENTITY)
                                        .build(),
                                new BatchNormalization.Builder().build(),
                                new ActivationLayer.Builder()
                                        .activation(Activation.ELU)
                                        .build())),
                Arguments.of("sgd", stack(new Sgd(0.1), x -> x, conv(4, 3).build(), dense(8))),
                Arguments.of(
                        "nesterov momentum",
                        stack(new Nesterovs(0.05, 0.9), x -> x, conv(4, 3).build(), dense(8))),
                Arguments.of(
                        "rmsprop", stack(new RmsProp(1e-2), x -> x, conv(4, 3).build(), dense(8))),
                Arguments.of(
                        "adamw (adam with weight decay)",
                        stack(
                                new Adam(1e-2),
                                x -> x.weightDecay(0.05),
                                conv(4, 3).build(),
                                dense(8))),
                Arguments.of(
                        "l2 and l1 regularisation",
                        stack(
                                new Adam(1e-2),
                                x -> x.l2(1e-2).l1(1e-3),
                                conv(4, 3).build(),
                                dense(8))),
                Arguments.of(
                        "gradient clipping element-wise",
                        stack(
                                new Sgd(0.1),
                                x -> x.gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                                        .gradientNormalizationThreshold(0.05),
                                conv(4, 3).build(),
                                dense(8))),
                Arguments.of(
                        "gradient clipping l2 per layer",
                        stack(
                                new Sgd(0.1),
                                x -> x.gradientNormalization(GradientNormalization.ClipL2PerLayer)
                                        .gradientNormalizationThreshold(0.1),
                                conv(4, 3).build(),
                                dense(8))),
                Arguments.of(
                        "gradient renormalisation l2 per param type",
                        stack(
                                new Nesterovs(0.05, 0.9),
                                x -> x.gradientNormalization(GradientNormalization.RenormalizeL2PerParamType),
                                conv(4, 3).build(),
                                dense(8))));
    }

    static DenseLayer dense(int n) {
        return new DenseLayer.Builder().nOut(n).activation(Activation.RELU).build();
    }

    static float[] images(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * H * W * C];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        return x;
    }

    static int[] labels(int n, long seed) {
        Random r = new Random(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(CLASSES);
        }
        return y;
    }

    static DataSet dataSet(float[] x, int[] y) {
        INDArray labels = Nd4j.zeros(DataType.FLOAT, y.length, CLASSES);
        for (int i = 0; i < y.length; i++) {
            labels.putScalar(i, y[i], 1f);
        }
        return new DataSet(Nd4j.create(x, new long[] {y.length, H * W * C}), labels);
    }

    static MultiLayerNetwork net(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The largest difference, relative to the largest expected magnitude (at least 1). */
    static double relDiff(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        double max = 0;
        double scale = 1;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return max / scale;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void same_outputs_and_gradients_as_dl4j(String name, MultiLayerConfiguration conf) {
        assertThat(FastNet.unsupported(conf, INPUT)).isEmpty();
        MultiLayerNetwork net = net(conf);
        float[] x = images(BATCH, 1);
        int[] y = labels(BATCH, 2);
        try (FastNet fast = FastNet.fromDl4j(net, INPUT, 2, BATCH)) {
            float[] expected = net.output(dataSet(x, y).getFeatures(), false)
                    .dup('c')
                    .data()
                    .asFloat();
            assertThat(relDiff(fast.predict(x, BATCH), expected)).isLessThan(1e-5);

            DataSet d = dataSet(x, y);
            net.setInput(d.getFeatures());
            net.setLabels(d.getLabels());
            net.computeGradientAndScore();
            MultiLayerNetwork g = net.clone();
            g.setParams(net.gradient().gradient().dup());
            float[] dl4jGrad;
            try (FastNet asGrad = FastNet.fromDl4j(g, INPUT, 1, BATCH)) {
                dl4jGrad = asGrad.params.clone();
            }
            // DL4J's raw gradient is the batch sum (its updater divides by the batch size); ours is the mean.
            float[] ours = fast.gradient(x, y, BATCH);
            for (int i = 0; i < ours.length; i++) {
                ours[i] *= BATCH;
            }
            assertThat(relDiff(ours, dl4jGrad)).isLessThan(1e-4);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void same_updates_and_losses_as_dl4j(String name, MultiLayerConfiguration conf) {
        MultiLayerNetwork net = net(conf);
        try (FastNet fast = FastNet.fromDl4j(net, INPUT, 2, BATCH)) {
            for (int step = 0; step < 3; step++) {
                float[] x = images(BATCH, 10 + step);
                int[] y = labels(BATCH, 20 + step);
                net.fit(dataSet(x, y));
                FastNet.BatchResult r = fast.train(x, y, BATCH);
                assertThat(r.lossSum() / BATCH)
                        .as("loss of step " + step)
                        .isCloseTo(net.score(), org.assertj.core.api.Assertions.within(1e-4));
            }
            MultiLayerNetwork mine = net.clone();
            fast.writeWeights(mine);
            // every parameter, batch normalisation's running statistics included
            assertThat(relDiff(
                            mine.params().dup().data().asFloat(),
                            net.params().dup().data().asFloat()))
                    .isLessThan(2e-4);
            float[] x = images(BATCH, 99);
            float[] expected = net.output(dataSet(x, labels(BATCH, 98)).getFeatures(), false)
                    .dup('c')
                    .data()
                    .asFloat();
            assertThat(relDiff(fast.predict(x, BATCH), expected)).isLessThan(1e-4);
        }
    }

    @Test
    void names_the_first_layer_and_setting_it_does_not_compute() {
        MultiLayerConfiguration lrn = stack(conv(4, 3).build(), new LocalResponseNormalization.Builder().build());
        assertThat(FastNet.unsupported(lrn, INPUT))
                .hasValueSatisfying(r -> assertThat(r).startsWith("layer 1 (LocalResponseNormalization)"));
        MultiLayerConfiguration scheduled =
                stack(new Adam(new ExponentialSchedule(ScheduleType.ITERATION, 1e-2, 0.9)), x -> x, dense(8));
        assertThat(FastNet.unsupported(scheduled, INPUT))
                .hasValueSatisfying(
                        r -> assertThat(r).contains("layer 0 (DenseLayer)").contains("schedule"));
        MultiLayerConfiguration pnorm =
                stack(new SubsamplingLayer.Builder(PoolingType.PNORM).pnorm(2).build());
        assertThat(FastNet.unsupported(pnorm, INPUT))
                .hasValueSatisfying(r ->
                        assertThat(r).contains("layer 0 (SubsamplingLayer)").contains("PNORM"));
    }

    @Test
    void refuses_settings_it_would_otherwise_ignore() {
        java.util.Map<String, MultiLayerConfiguration> cases = new java.util.LinkedHashMap<>();
        cases.put(
                "layer normalisation",
                stack(new DenseLayer.Builder()
                        .nOut(8)
                        .hasLayerNorm(true)
                        .activation(Activation.RELU)
                        .build()));
        cases.put(
                "parameter constraints",
                stack(
                        new Adam(1e-2),
                        x -> x.constrainWeights(new org.deeplearning4j.nn.conf.constraint.MaxNormConstraint(1.0, 1)),
                        dense(8)));
        cases.put("miniBatch(false)", stack(new Adam(1e-2), x -> x.miniBatch(false), dense(8)));
        cases.put(
                "optimisation algorithm LBFGS",
                stack(
                        new Adam(1e-2),
                        x -> x.optimizationAlgo(org.deeplearning4j.nn.api.OptimizationAlgorithm.LBFGS),
                        dense(8)));
        cases.put(
                "leakyrelu and elu of positive alpha",
                stack(new DenseLayer.Builder()
                        .nOut(8)
                        .activation(new org.nd4j.linalg.activations.impl.ActivationLReLU(0))
                        .build()));
        cases.put(
                "locked gamma and beta",
                stack(
                        conv(4, 3).build(),
                        new BatchNormalization.Builder().lockGammaBeta(true).build()));
        cases.forEach((setting, conf) -> assertThat(FastNet.unsupported(conf, INPUT))
                .as(setting)
                .hasValueSatisfying(r -> assertThat(r).contains(setting)));
    }

    /** A convolution, pooling, batch normalisation, activation layer and dense layer, with global settings. */
    static MultiLayerConfiguration convPoolNormDense(UnaryOperator<NeuralNetConfiguration.Builder> global) {
        return stack(
                new Adam(1e-2),
                global,
                conv(4, 3).build(),
                new SubsamplingLayer.Builder(PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build(),
                new BatchNormalization.Builder().build(),
                new ActivationLayer.Builder().activation(Activation.RELU).build(),
                dense(8));
    }

    @Test
    void dropout_goes_where_dl4j_applies_it_the_inputs_of_convolution_dense_and_output_layers() {
        MultiLayerConfiguration everywhere = convPoolNormDense(x -> x.dropOut(0.8));
        Planner.Plan plan = Planner.plan(everywhere, INPUT);
        assertThat(plan.layers().stream()
                        .filter(l -> l instanceof DropoutFastLayer)
                        .count())
                .as("before the convolution, the dense and the output layer; not before pooling, batch"
                        + " normalisation or the activation layer")
                .isEqualTo(3);
    }

    @Test
    void dl4j_itself_drops_only_the_inputs_of_convolution_dense_and_output_layers() {
        MultiLayerConfiguration everywhere = convPoolNormDense(x -> x.dropOut(0.8));
        MultiLayerConfiguration threeSites = base(new Adam(1e-2), x -> x)
                .layer(conv(4, 3).dropOut(0.8).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder()
                        .nOut(8)
                        .activation(Activation.RELU)
                        .dropOut(0.8)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(CLASSES)
                        .activation(Activation.SOFTMAX)
                        .dropOut(0.8)
                        .build())
                .setInputType(INPUT)
                .build();
        MultiLayerNetwork a = net(everywhere);
        MultiLayerNetwork b = net(threeSites);
        b.setParams(a.params().dup());
        DataSet d = dataSet(images(BATCH, 5), labels(BATCH, 6));
        for (MultiLayerNetwork n : List.of(a, b)) {
            Nd4j.getRandom().setSeed(11); // the same masks, drawn in the same order, if the same layers draw them
            n.fit(d);
        }
        assertThat(relDiff(
                        b.params().dup().data().asFloat(),
                        a.params().dup().data().asFloat()))
                .isZero();
        // and the dropout did something: without it the same step ends elsewhere
        MultiLayerNetwork none = net(convPoolNormDense(x -> x));
        none.setParams(net(everywhere).params());
        Nd4j.getRandom().setSeed(11);
        none.fit(d);
        assertThat(relDiff(
                        none.params().dup().data().asFloat(),
                        a.params().dup().data().asFloat()))
                .isPositive();
    }
}
