package io.sweeplab.plugins.architectures;

import io.sweeplab.plugin.api.Architecture;
import io.sweeplab.plugin.testkit.ArchitectureContract;

class DenseArchitectureContractTest extends ArchitectureContract {

    @Override
    protected Architecture architecture() {
        return new DenseArchitecture();
    }
}
