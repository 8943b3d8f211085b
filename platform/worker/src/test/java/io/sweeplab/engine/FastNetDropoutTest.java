package io.sweeplab.engine;

import static io.sweeplab.engine.FastNetCoverageTest.BATCH;
import static io.sweeplab.engine.FastNetCoverageTest.INPUT;
import static io.sweeplab.engine.FastNetCoverageTest.conv;
import static io.sweeplab.engine.FastNetCoverageTest.dataSet;
import static io.sweeplab.engine.FastNetCoverageTest.images;
import static io.sweeplab.engine.FastNetCoverageTest.labels;
import static io.sweeplab.engine.FastNetCoverageTest.net;
import static io.sweeplab.engine.FastNetCoverageTest.output;
import static io.sweeplab.engine.FastNetCoverageTest.relDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.Function;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Dropout as DL4J computes it: {@code p} is the probability of keeping a value, kept values are scaled by 1/p, on
 * the input of the layer that has it (or of a {@code DropoutLayer}), in training only. DL4J's own masks come from
 * ND4J's native generator, so the equality test gives DL4J, through a test {@link IDropout}, the masks the fast
 * engine draws, and compares everything else; the masks' statistics are compared with DL4J's {@link Dropout}.
 */
class FastNetDropoutTest {

    @Test
    void masks_keep_p_of_the_values_scaled_by_one_over_p_as_dl4j_does() {
        double p = 0.8;
        INDArray ones = Nd4j.ones(DataType.FLOAT, 200, 500);
        float[] dl4j = new Dropout(p)
                .applyDropout(ones, ones.ulike(), 0, 0, LayerWorkspaceMgr.noWorkspaces())
                .dup()
                .data()
                .asFloat();
        float[] ours = new float[200 * 500];
        for (int i = 0; i < 200; i++) {
            DropoutFastLayer.mask(7, 0, 1, i, p, ours, i * 500, 500);
        }
        for (float[] m : new float[][] {dl4j, ours}) {
            long kept = 0;
            for (float v : m) {
                assertThat(v).isIn(0f, (float) (1 / p));
                kept += v == 0f ? 0 : 1;
            }
            assertThat((double) kept / m.length).isCloseTo(p, within(0.01));
        }
        float[] again = new float[500];
        DropoutFastLayer.mask(7, 0, 1, 3, p, again, 0, 500);
        assertThat(again).containsExactly(java.util.Arrays.copyOfRange(ours, 1500, 2000));
        DropoutFastLayer.mask(7, 1, 1, 3, p, again, 0, 500);
        assertThat(again).isNotEqualTo(java.util.Arrays.copyOfRange(ours, 1500, 2000));
    }

    /**
     * A configuration with dropout where {@code drop} (given the engine's index of the dropout among its layers:
     * a layer's own dropout comes just before it) says what the dropout is: DL4J's {@link Dropout} for the fast
     * engine, the engine's masks for DL4J.
     */
    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of("DropoutLayer(0.5) after a dense layer", (Function<
                                Function<Integer, IDropout>, MultiLayerConfiguration>)
                        drop -> list().layer(conv(3, 3).build())
                                .layer(new DenseLayer.Builder()
                                        .nOut(12)
                                        .activation(Activation.RELU)
                                        .build())
                                .layer(new DropoutLayer.Builder()
                                        .dropOut(drop.apply(2))
                                        .build())
                                .layer(output())
                                .setInputType(INPUT)
                                .build()),
                Arguments.of(
                        "dropOut(0.7) of a dense layer over a feature map, DropoutLayer on a feature map",
                        (Function<Function<Integer, IDropout>, MultiLayerConfiguration>)
                                drop -> list().layer(conv(3, 3).build())
                                        .layer(new DropoutLayer.Builder()
                                                .dropOut(drop.apply(1))
                                                .build())
                                        .layer(new SubsamplingLayer.Builder(PoolingType.MAX)
                                                .kernelSize(2, 2)
                                                .stride(2, 2)
                                                .build())
                                        .layer(new DenseLayer.Builder()
                                                .nOut(10)
                                                .dropOut(drop.apply(3))
                                                .activation(Activation.RELU)
                                                .build())
                                        .layer(output())
                                        .setInputType(INPUT)
                                        .build()));
    }

    static NeuralNetConfiguration.ListBuilder list() {
        return new NeuralNetConfiguration.Builder()
                .seed(7)
                .updater(new Adam(1e-2))
                .list();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void same_gradients_and_updates_as_dl4j_given_the_same_masks(
            String name, Function<Function<Integer, IDropout>, MultiLayerConfiguration> build) {
        double[] ps = {0, 0.7, 0.5, 0.7}; // by the engine's layer index of each dropout
        MultiLayerConfiguration forFast = build.apply(i -> new Dropout(ps[i] == 0 ? 0.5 : ps[i]));
        // the dense layer's input at index 3 is the flattened 4 x 4 x 3 map: DL4J's order is NCHW there too
        MultiLayerConfiguration forDl4j =
                build.apply(i -> new EngineMasks(ps[i] == 0 ? 0.5 : ps[i], 7, i, i == 3 ? new int[] {4, 4, 3} : null));
        assertThat(FastNet.unsupported(forFast, INPUT)).isEmpty();
        MultiLayerNetwork dl4j = net(forDl4j);
        MultiLayerNetwork init = net(forFast);
        init.setParams(dl4j.params().dup());
        try (FastNet fast = FastNet.fromDl4j(init, INPUT, 2, BATCH)) {
            for (int step = 0; step < 3; step++) {
                float[] x = images(BATCH, 30 + step);
                int[] y = labels(BATCH, 40 + step);
                dl4j.fit(dataSet(x, y));
                assertThat(fast.train(x, y, BATCH).lossSum() / BATCH)
                        .as("loss of step " + step)
                        .isCloseTo(dl4j.score(), within(1e-4));
            }
            MultiLayerNetwork mine = dl4j.clone();
            fast.writeWeights(mine);
            assertThat(relDiff(
                            mine.params().dup().data().asFloat(),
                            dl4j.params().dup().data().asFloat()))
                    .isLessThan(2e-4);
            float[] x = images(BATCH, 77);
            float[] expected = dl4j.output(dataSet(x, labels(BATCH, 78)).getFeatures(), false)
                    .dup('c')
                    .data()
                    .asFloat();
            assertThat(relDiff(fast.predict(x, BATCH), expected))
                    .as("inference: no dropout")
                    .isLessThan(1e-5);
        }
    }

    /**
     * DL4J dropout with the fast engine's masks: those of its dropout at position {@code layer} of its layers, each
     * value moved from the engine's channels-last order to DL4J's NCHW order when the input is a feature map.
     */
    static final class EngineMasks implements IDropout {
        final double p;
        final long seed;
        final int layer;
        final int[] flattenedHwc;
        private transient INDArray mask;

        /** @param flattenedHwc the feature map a flat input was flattened from, or null */
        EngineMasks(double p, long seed, int layer, int[] flattenedHwc) {
            this.p = p;
            this.seed = seed;
            this.layer = layer;
            this.flattenedHwc = flattenedHwc;
        }

        @Override
        public INDArray applyDropout(
                INDArray input, INDArray result, int iteration, int epoch, LayerWorkspaceMgr workspaceMgr) {
            long n = input.size(0);
            int size = (int) (input.length() / n);
            int[] order = input.rank() == 4
                    ? Planner.nchwIndexOfHwc((int) input.size(2), (int) input.size(3), (int) input.size(1))
                    : flattenedHwc == null
                            ? null
                            : Planner.nchwIndexOfHwc(flattenedHwc[0], flattenedHwc[1], flattenedHwc[2]);
            float[] all = new float[(int) input.length()];
            float[] m = new float[size];
            for (int i = 0; i < n; i++) {
                DropoutFastLayer.mask(seed, iteration, layer, i, p, m, 0, size);
                for (int j = 0; j < size; j++) {
                    all[i * size + (order == null ? j : order[j])] = m[j];
                }
            }
            try (org.nd4j.linalg.api.memory.MemoryWorkspace outside =
                    Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                mask = Nd4j.create(all, input.shape(), 'c').castTo(input.dataType());
            }
            return result.assign(input.mul(mask));
        }

        @Override
        public INDArray backprop(INDArray gradAtOutput, INDArray gradAtInput, int iteration, int epoch) {
            return gradAtInput.assign(gradAtOutput.mul(mask));
        }

        @Override
        public void clear() {
            mask = null;
        }

        @Override
        public IDropout clone() {
            return new EngineMasks(p, seed, layer, flattenedHwc);
        }
    }
}
