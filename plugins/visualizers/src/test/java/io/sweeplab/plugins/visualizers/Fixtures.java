package io.sweeplab.plugins.visualizers;

import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.plugin.api.VisualizerContext;
import io.sweeplab.plugin.testkit.FakeVisualizerContext;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test sets for the visualizer tests: Fashion-MNIST's class names, labels and predictions drawn with a seed. */
final class Fixtures {

    static final List<String> CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private Fixtures() {}

    /** A test set of {@code n} images, labelled at random; a prediction is right with probability 0.7. */
    record TestSet(int[] labels, int[] predicted, float[] pixels) {
        int correct() {
            int c = 0;
            for (int i = 0; i < labels.length; i++) {
                c += labels[i] == predicted[i] ? 1 : 0;
            }
            return c;
        }

        FakeVisualizerContext.Builder context() {
            return FakeVisualizerContext.builder(CLASSES, labels)
                    .predictions(predicted, 0.83f)
                    .images(4, 3, pixels);
        }
    }

    static TestSet random(int n, long seed) {
        Random rnd = new Random(seed);
        int[] labels = new int[n];
        int[] predicted = new int[n];
        float[] pixels = new float[n * 12];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(CLASSES.size());
            predicted[i] = rnd.nextDouble() < 0.7 ? labels[i] : rnd.nextInt(CLASSES.size());
        }
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rnd.nextFloat();
        }
        return new TestSet(labels, predicted, pixels);
    }

    /** Runs a visualizer with these raw parameters, validated against its schema as the host does. */
    static Artifact run(Visualizer v, Map<String, ?> params, VisualizerContext ctx) throws Exception {
        var validation = v.params().validate(params);
        if (!validation.valid()) {
            throw new IllegalArgumentException(validation.violations().toString());
        }
        return v.visualize(validation.params(), ctx);
    }
}
