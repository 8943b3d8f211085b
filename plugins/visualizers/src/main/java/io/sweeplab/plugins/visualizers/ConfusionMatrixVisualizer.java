package io.sweeplab.plugins.visualizers;

import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.Tensor;
import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.plugin.api.VisualizerContext;
import java.util.List;
import java.util.Map;

/**
 * The confusion matrix of the run's test set: how many images of each true class the network gave each class.
 *
 * <p>The artifact {@code confusion-matrix} holds two tensors of shape {@code [classes, classes]} with axes {@code
 * true} (rows) and {@code predicted} (columns), both labelled by class name: {@code counts}, and {@code
 * row-normalised} (each row divided by its sum, so a cell is the share of a true class given that prediction; 0 in
 * a row without test images). Its diagonal sum is the test accuracy times the test images; the attributes say both.
 */
public final class ConfusionMatrixVisualizer implements Visualizer {

    @Override
    public String id() {
        return "confusion-matrix";
    }

    @Override
    public String label() {
        return "Confusion matrix";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "For each true class of the test set, how many images the network gave each class: counts and"
                + " row-normalised.";
    }

    @Override
    public Artifact visualize(Params params, VisualizerContext ctx) {
        TestSetPredictions p = TestSetPredictions.of(ctx);
        List<String> classes = ctx.classNames();
        int k = classes.size();
        float[] counts = new float[k * k];
        for (int i = 0; i < p.size(); i++) {
            counts[p.labels()[i] * k + p.predicted()[i]]++;
        }
        float[] normalised = new float[k * k];
        for (int t = 0; t < k; t++) {
            float sum = 0;
            for (int c = 0; c < k; c++) {
                sum += counts[t * k + c];
            }
            for (int c = 0; c < k && sum > 0; c++) {
                normalised[t * k + c] = counts[t * k + c] / sum;
            }
        }
        Tensor.Axis truth = Tensor.Axis.labelled("true", classes);
        Tensor.Axis predicted = Tensor.Axis.labelled("predicted", classes);
        Map<String, String> attributes = p.attributes();
        return new Artifact.Tensors(
                "confusion-matrix",
                "Confusion matrix",
                attributes,
                List.of(
                        Tensor.of("counts", new int[] {k, k}, counts, truth, predicted),
                        Tensor.of("row-normalised", new int[] {k, k}, normalised, truth, predicted)));
    }
}
