package io.sweeplab.plugins.visualizers;

import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.plugin.api.VisualizerContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test accuracy of each class: a table {@code per-class-accuracy} with the columns {@code class}, {@code test
 * images}, {@code correct} and {@code accuracy} (null for a class without test images), one row per class.
 *
 * <p>Its bar column {@code accuracy} asks the dashboard to draw the table also as a bar chart of the
 * {@code accuracy} column over the first column (one artifact, both views).
 */
public final class PerClassAccuracyVisualizer implements Visualizer {

    static final List<String> COLUMNS = List.of("class", "test images", "correct", "accuracy");

    @Override
    public String id() {
        return "per-class-accuracy";
    }

    @Override
    public String label() {
        return "Per-class accuracy";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "The test accuracy of each class, as a table and a bar chart.";
    }

    @Override
    public Artifact visualize(Params params, VisualizerContext ctx) {
        TestSetPredictions p = TestSetPredictions.of(ctx);
        List<String> classes = ctx.classNames();
        int[] images = new int[classes.size()];
        int[] correct = new int[classes.size()];
        for (int i = 0; i < p.size(); i++) {
            images[p.labels()[i]]++;
            if (p.correct(i)) {
                correct[p.labels()[i]]++;
            }
        }
        List<List<Object>> rows = new ArrayList<>(classes.size());
        for (int c = 0; c < classes.size(); c++) {
            Double accuracy = images[c] == 0 ? null : (double) correct[c] / images[c];
            rows.add(java.util.Arrays.asList(classes.get(c), images[c], correct[c], accuracy));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.putAll(p.attributes());
        return new Artifact.Table("per-class-accuracy", "Per-class accuracy", attributes, COLUMNS, rows, "accuracy");
    }
}
