package io.sweeplab.core.run;

import java.util.Locale;

/** Where a run is in its life; the JSON and database spelling is the lower-case name. */
public enum RunStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    /** A callback ended it early; the run records which, at which epoch and why. */
    STOPPED,
    FAILED,
    CANCELLED;

    public boolean finished() {
        return this != QUEUED && this != RUNNING;
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus fromJsonName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
