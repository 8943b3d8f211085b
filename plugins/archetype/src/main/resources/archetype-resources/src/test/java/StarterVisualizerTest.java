package ${package};

import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.plugin.testkit.VisualizerContract;

/** The testkit's contract; add tests of your own behaviour here. */
class StarterVisualizerTest extends VisualizerContract {

    @Override
    protected Visualizer visualizer() {
        return new StarterVisualizer();
    }
}
