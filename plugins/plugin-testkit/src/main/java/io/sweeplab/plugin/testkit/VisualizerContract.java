package io.sweeplab.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sweeplab.artifacts.ArtifactCodec;
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Extension;
import io.sweeplab.plugin.api.LayerOutput;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.plugin.api.VisualizerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract of a {@link Visualizer}: extend it in your tests and return your visualizer.
 *
 * <pre>{@code
 * class ClassHistogramTest extends VisualizerContract {
 *     protected Visualizer visualizer() {
 *         return new ClassHistogram();
 *     }
 * }
 * }</pre>
 *
 * <p>Besides the checks of every extension (metadata, schema, defaults, loading through the platform's host), it
 * runs the visualizer for the defaults and every bound on {@link #context()} (a bound that names test images beyond
 * the context's test set may be refused with an {@link IndexOutOfBoundsException}, as the platform's context does;
 * the defaults may not) and checks that the artifact it returns
 * is one the platform accepts: it survives the platform's artifact codec unchanged and fits the platform's default
 * size limit of {@value #MAX_ARTIFACT_BYTES} bytes ({@code sweeplab.worker.max-artifact-mb}).
 */
public abstract class VisualizerContract extends ExtensionContract<Visualizer> {

    /** The platform's default limit of one artifact, 8 MiB. */
    public static final int MAX_ARTIFACT_BYTES = 8 << 20;

    /** For subclasses. */
    protected VisualizerContract() {}

    /** The visualizer under test. */
    protected abstract Visualizer visualizer();

    /**
     * The trained model and test set the visualizer runs on. By default {@link #sampleContext()}; override with a
     * {@link FakeVisualizerContext} of your own when the visualizer needs particular values.
     */
    protected VisualizerContext context() {
        return sampleContext();
    }

    @Override
    final Visualizer extension() {
        return visualizer();
    }

    @Override
    final Class<? extends Extension> extensionPoint() {
        return Visualizer.class;
    }

    /** The visualizer runs for the defaults and every bound and returns an artifact the platform accepts. */
    @TestFactory
    public Stream<DynamicTest> visualizesForTheDefaultsAndEveryBound() {
        return forEachCase("visualizes", (visualizer, params) -> {
            Artifact artifact;
            try {
                artifact = visualizer.visualize(params, context());
            } catch (IndexOutOfBoundsException e) {
                // a bound naming test images beyond this test set: refusing them is what the platform's context does
                if (params.equals(defaults(visualizer))) {
                    throw e;
                }
                Assumptions.abort(
                        "refused for this test set of " + context().testSetSize() + " images: " + e.getMessage());
                throw e;
            }
            assertNotNull(artifact, "visualize() returned null");
            byte[] json = ArtifactCodec.encode(artifact);
            assertTrue(
                    json.length <= MAX_ARTIFACT_BYTES,
                    "the artifact takes " + json.length + " bytes; the platform accepts " + MAX_ARTIFACT_BYTES);
            assertArrayEquals(
                    json,
                    ArtifactCodec.encode(ArtifactCodec.decodeKnown(json)),
                    "the artifact changes through the platform's codec");
        });
    }

    /**
     * A context like a small trained CNN's on Fashion-MNIST: 10 classes (the Fashion-MNIST names), 40 test images of
     * 28x28 pixels labelled {@code i % 10}, predictions right for three images in four (0.8 confident), and the
     * weights and outputs of a network {@code conv2d_1} (4 filters of 3x3), {@code max_pooling2d_1}, {@code dense}
     * (10 units).
     */
    public static FakeVisualizerContext sampleContext() {
        List<String> classes = List.of(
                "T-shirt/top",
                "Trouser",
                "Pullover",
                "Dress",
                "Coat",
                "Sandal",
                "Shirt",
                "Sneaker",
                "Bag",
                "Ankle boot");
        int n = 40;
        int[] labels = IntStream.range(0, n).map(i -> i % 10).toArray();
        int[] predicted = IntStream.range(0, n)
                .map(i -> i % 4 == 3 ? (i + 1) % 10 : i % 10)
                .toArray();
        Random random = new Random(42);
        return FakeVisualizerContext.builder(classes, labels)
                .predictions(predicted, 0.8f)
                .images(28, 28, noise(random, n * 28 * 28))
                .layerWeights(
                        FakeVisualizerContext.convolution(0, "conv2d_1", 4, 1, 3, 3, noise(random, 4 * 9)),
                        FakeVisualizerContext.none(1, "max_pooling2d_1", "MaxPooling2D"),
                        FakeVisualizerContext.dense(2, "dense", 4 * 13 * 13, 10, noise(random, 4 * 13 * 13 * 10)))
                .layerOutputs(indices -> {
                    List<LayerOutput> out = new ArrayList<>();
                    int k = indices.length;
                    out.add(new LayerOutput(0, "conv2d_1", "Conv2D", tensor("conv2d_1", k, 4, 26, 26)));
                    out.add(new LayerOutput(
                            1, "max_pooling2d_1", "MaxPooling2D", tensor("max_pooling2d_1", k, 4, 13, 13)));
                    out.add(new LayerOutput(2, "dense", "Dense", tensor("dense", k, 10)));
                    return out;
                })
                .build();
    }

    private static Tensor tensor(String name, int... shape) {
        int size = 1;
        for (int s : shape) {
            size *= s;
        }
        return new Tensor(name, shape, noise(new Random(size), size));
    }

    private static float[] noise(Random random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextFloat();
        }
        return out;
    }
}
