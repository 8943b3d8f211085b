package com.acme.sweeplab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.plugin.testkit.FakeVisualizerContext;
import io.sweeplab.plugin.testkit.VisualizerContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract (metadata, an artifact the platform accepts, loading) and the counts on a fake test set. */
class ClassHistogramTest extends VisualizerContract {

    @Override
    protected Visualizer visualizer() {
        return new ClassHistogram();
    }

    @Test
    void counts_true_and_predicted_classes() throws Exception {
        FakeVisualizerContext ctx = FakeVisualizerContext.builder(List.of("cat", "dog"), 0, 0, 1)
                .predictions(new int[] {0, 1, 1}, 0.9f)
                .build();
        Artifact.Table t = (Artifact.Table) visualizer().visualize(new Params(Map.of()), ctx);
        assertEquals(List.of(List.of("cat", 2, 1), List.of("dog", 1, 2)), t.rows());
        assertEquals("predicted", t.barColumn());
    }
}
