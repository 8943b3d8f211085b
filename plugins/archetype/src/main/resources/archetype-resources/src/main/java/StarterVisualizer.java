package ${package};

import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.plugin.api.VisualizerContext;
import java.util.Map;
import java.util.stream.IntStream;

/** The test accuracy as a named value: replace it with your own artifact. */
public class StarterVisualizer implements Visualizer {

    @Override
    public String id() {
        return "${artifactId}-accuracy";
    }

    @Override
    public String label() {
        return "Test accuracy (${artifactId})";
    }

    @Override
    public String version() {
        return "${version}";
    }

    @Override
    public String description() {
        return "The share of test images the network classifies right.";
    }

    @Override
    public Artifact visualize(Params params, VisualizerContext ctx) {
        int[] all = IntStream.range(0, ctx.testSetSize()).toArray();
        int[] labels = ctx.testLabels(all);
        int[] predicted = ctx.predictions(all);
        int right = 0;
        for (int i = 0; i < all.length; i++) {
            right += labels[i] == predicted[i] ? 1 : 0;
        }
        return new Artifact.Scalars(
                "test-accuracy", "Test accuracy", Map.of(), Map.of("accuracy", (double) right / all.length));
    }
}
