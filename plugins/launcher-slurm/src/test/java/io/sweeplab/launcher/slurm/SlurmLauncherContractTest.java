package io.sweeplab.launcher.slurm;

import io.sweeplab.plugin.api.WorkerLauncher;
import io.sweeplab.plugin.testkit.LauncherContract;

/** The testkit's contract of launchers, as an outside author runs it. */
class SlurmLauncherContractTest extends LauncherContract {

    @Override
    protected WorkerLauncher launcher() {
        return new SlurmLauncher();
    }
}
