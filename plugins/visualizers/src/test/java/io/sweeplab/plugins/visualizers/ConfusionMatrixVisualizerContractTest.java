package io.sweeplab.plugins.visualizers;

import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.plugin.testkit.VisualizerContract;

class ConfusionMatrixVisualizerContractTest extends VisualizerContract {

    @Override
    protected Visualizer visualizer() {
        return new ConfusionMatrixVisualizer();
    }
}
