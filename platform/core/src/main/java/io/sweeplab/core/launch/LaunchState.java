package io.sweeplab.core.launch;

import java.util.Locale;

/** Where a launch is: being submitted, waiting in the engine, running, or ended. */
public enum LaunchState {
    SUBMITTING,
    PENDING,
    RUNNING,
    ENDED;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
