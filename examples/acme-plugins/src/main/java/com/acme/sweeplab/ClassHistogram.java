package com.acme.sweeplab;

import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.plugin.api.VisualizerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** How often each class is predicted on the test set, against how often it is the true class. */
public class ClassHistogram implements Visualizer {

    @Override
    public String id() {
        return "acme-class-histogram";
    }

    @Override
    public String label() {
        return "Class histogram (Acme)";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Per class: test images of that class and test images predicted as it, drawn as bars.";
    }

    @Override
    public Artifact visualize(Params params, VisualizerContext ctx) {
        int[] all = IntStream.range(0, ctx.testSetSize()).toArray();
        List<String> classes = ctx.classNames();
        int[] truth = new int[classes.size()];
        int[] predicted = new int[classes.size()];
        for (int label : ctx.testLabels(all)) {
            truth[label]++;
        }
        for (int p : ctx.predictions(all)) {
            predicted[p]++;
        }
        List<List<Object>> rows = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            rows.add(List.of(classes.get(c), truth[c], predicted[c]));
        }
        return new Artifact.Table(
                "class-histogram",
                "Predicted and true classes",
                Map.of("testImages", Integer.toString(all.length)),
                List.of("class", "true", "predicted"),
                rows,
                "predicted");
    }
}
