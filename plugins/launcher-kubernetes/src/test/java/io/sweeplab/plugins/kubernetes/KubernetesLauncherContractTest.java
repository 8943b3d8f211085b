package io.sweeplab.plugins.kubernetes;

import io.sweeplab.plugin.api.WorkerLauncher;
import io.sweeplab.plugin.testkit.LauncherContract;

/** The checks every extension passes: metadata, schema, defaults, and loading through the platform's plugin host. */
class KubernetesLauncherContractTest extends LauncherContract {

    @Override
    protected WorkerLauncher launcher() {
        return new KubernetesLauncher();
    }
}
