package ${package};

import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.testkit.ArchitectureContract;

/** The testkit's contract; add tests of your own behaviour here. */
class StarterArchitectureTest extends ArchitectureContract {

    @Override
    protected Architecture architecture() {
        return new StarterArchitecture();
    }
}
