package io.sweeplab.plugins.visualizers;

import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.plugin.api.VisualizerContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The first test images the network gets wrong, in test-set order.
 *
 * <p>The artifact {@code misclassified} holds one tensor of shape {@code [images, height, width]} (pixels in [0, 1])
 * whose axis {@code image} is labelled like {@code #12 true Shirt, predicted T-shirt/top (83%)}: the test index, the
 * true class, the predicted class and the probability the network gave it. When it gets every test image right the
 * tensor has no images and the attribute {@code wrong} is 0.
 */
public final class MisclassifiedVisualizer implements Visualizer {

    private static final ParamSchema PARAMS = ParamSchema.of(ParamSpec.ofInt(
            "count", 16, 1, 100, "How many misclassified test images to show, the first in test order"));

    @Override
    public String id() {
        return "misclassified";
    }

    @Override
    public String label() {
        return "Misclassified images";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "The first test images the network gets wrong, with their true and predicted class and the"
                + " network's confidence.";
    }

    @Override
    public ParamSchema params() {
        return PARAMS;
    }

    @Override
    public Artifact visualize(Params params, VisualizerContext ctx) {
        TestSetPredictions p = TestSetPredictions.of(ctx);
        int limit = params.getInt("count");
        int wrong = 0;
        int[] shown = new int[Math.min(limit, p.size())];
        int n = 0;
        for (int i = 0; i < p.size(); i++) {
            if (!p.correct(i)) {
                if (n < shown.length) {
                    shown[n++] = i;
                }
                wrong++;
            }
        }
        shown = Arrays.copyOf(shown, n);

        float[][] probabilities = ctx.classProbabilities(shown);
        List<String> classes = ctx.classNames();
        List<String> labels = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = shown[i];
            int predicted = p.predicted()[index];
            labels.add("#" + index + " true " + classes.get(p.labels()[index]) + ", predicted " + classes.get(predicted)
                    + " (" + Math.round(probabilities[i][predicted] * 100) + "%)");
        }
        Tensor images = ctx.testImages(shown);
        List<Tensor.Axis> axes = new ArrayList<>(images.axes());
        axes.set(0, Tensor.Axis.labelled("image", labels));

        Map<String, String> attributes = p.attributes();
        attributes.put("wrong", Integer.toString(wrong));
        attributes.put("shown", Integer.toString(n));
        return new Artifact.Tensors(
                "misclassified",
                "Misclassified test images",
                attributes,
                List.of(new Tensor("misclassified", images.shape(), images.data(), axes)));
    }
}
