package io.sweeplab.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.api.BuildContext;
import io.sweeplab.plugin.api.ImageSet;
import io.sweeplab.plugin.api.ModelConfiguration;
import io.sweeplab.plugins.architectures.CnnArchitecture;
import io.sweeplab.plugins.architectures.DenseArchitecture;
import io.sweeplab.worker.data.TestData;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The fast engine computes what DL4J computes: same outputs, same gradients, same Adam step. */
class FastNetTest {

    static final InputType INPUT = InputType.convolutionalFlat(28, 28, 1);
    static final BuildContext CTX = new BuildContext(28, 28, 1, 10, 1e-3, 123);

    static Stream<Arguments> networks() {
        return Stream.of(
                Arguments.of("dense", new DenseArchitecture(), Map.of()),
                Arguments.of("cnn 32,32", new CnnArchitecture(), Map.of()),
                Arguments.of(
                        "cnn 3 layers 16,64",
                        new CnnArchitecture(),
                        Map.of("convLayers", 3, "filters", List.of(16, 64))),
                Arguments.of(
                        "cnn same padding 5x5",
                        new CnnArchitecture(),
                        Map.of("convLayers", 2, "kernel", 5, "padding", "same", "filters", List.of(8, 12))),
                Arguments.of("cnn 1 layer", new CnnArchitecture(), Map.of("convLayers", 1, "filters", List.of(32))));
    }

    static MultiLayerNetwork net(Architecture a, Map<String, Object> params) {
        MultiLayerConfiguration conf = ((ModelConfiguration.Sequential)
                        a.build(a.params().validate(params).params(), CTX))
                .configuration();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static ImageSet batch(int n) {
        return TestData.full().train().first(n);
    }

    static INDArray features(ImageSet s) {
        return Nd4j.create(s.pixels(), new long[] {s.size(), s.pixelsPerImage()});
    }

    static INDArray oneHot(ImageSet s) {
        INDArray y = Nd4j.zeros(s.size(), 10);
        for (int i = 0; i < s.size(); i++) {
            y.putScalar(i, s.labels()[i], 1f);
        }
        return y;
    }

    static float maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void same_outputs_and_gradients_as_dl4j(String name, Architecture arch, Map<String, Object> params) {
        MultiLayerNetwork net = net(arch, params);
        assertThat(FastNet.unsupported(net.getLayerWiseConfigurations(), INPUT)).isEmpty();
        ImageSet b = batch(16);
        try (FastNet fast = FastNet.fromDl4j(net, INPUT, 2, 32)) {
            assertThat((long) fast.paramCount()).isEqualTo(net.numParams());

            float[] expected = net.output(features(b), false).dup('c').data().asFloat();
            assertThat(maxAbsDiff(fast.predict(b.pixels(), b.size()), expected)).isLessThan(2e-6f);

            net.setInput(features(b));
            net.setLabels(oneHot(b));
            net.computeGradientAndScore();
            MultiLayerNetwork g = net.clone();
            g.setParams(net.gradient().gradient().dup());
            float[] dl4jGrad;
            try (FastNet asGrad = FastNet.fromDl4j(g, INPUT, 1, 32)) {
                dl4jGrad = asGrad.params.clone();
            }
            // DL4J's raw gradient is the batch sum (its updater divides by the batch size); ours is the mean.
            float[] ours = fast.gradient(b.pixels(), b.labels(), b.size());
            for (int i = 0; i < ours.length; i++) {
                ours[i] *= b.size();
            }
            assertThat(maxAbsDiff(ours, dl4jGrad)).isLessThan(5e-5f);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void same_adam_steps_and_losses_as_dl4j(String name, Architecture arch, Map<String, Object> params) {
        MultiLayerNetwork net = net(arch, params);
        try (FastNet fast = FastNet.fromDl4j(net, INPUT, 2, 32)) {
            for (int stepNo = 0; stepNo < 3; stepNo++) {
                ImageSet b = TestData.full()
                        .train()
                        .select(java.util.stream.IntStream.range(stepNo * 32, stepNo * 32 + 32)
                                .toArray());
                net.fit(new DataSet(features(b), oneHot(b)));
                double dl4jLoss = net.score();
                FastNet.BatchResult r = fast.train(b.pixels(), b.labels(), b.size());
                assertThat(r.lossSum() / b.size()).isCloseTo(dl4jLoss, org.assertj.core.api.Assertions.within(1e-4));
            }
            MultiLayerNetwork mine = net.clone();
            fast.writeWeights(mine);
            float[] a = net.params().dup().data().asFloat();
            float[] c = mine.params().dup().data().asFloat();
            int off = 0;
            for (int i = 0; i < a.length; i++) {
                if (Math.abs(a[i] - c[i]) > 1e-5f) {
                    off++;
                }
            }
            // Adam divides by sqrt(v): where a gradient is ~0, float rounding may flip a sign; allow 0.1%.
            assertThat(off).isLessThanOrEqualTo(a.length / 1000);
        }
    }

    @Test
    void weights_round_trip_through_dl4j() {
        MultiLayerNetwork net = net(new CnnArchitecture(), Map.of("filters", List.of(4, 6)));
        MultiLayerNetwork other = net(new CnnArchitecture(), Map.of("filters", List.of(4, 6)));
        other.setParams(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, (int) net.numParams()));
        try (FastNet fast = FastNet.fromDl4j(net, INPUT, 1, 8)) {
            fast.writeWeights(other);
        }
        assertThat(maxAbsDiff(
                        other.params().dup().data().asFloat(),
                        net.params().dup().data().asFloat()))
                .isZero();
    }
}
