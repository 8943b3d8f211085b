package io.sweeplab.client;

/** The status of a run, as MLflow's {@code RunStatus} spells it on the wire. */
public enum RunStatus {
    RUNNING,
    SCHEDULED,
    FINISHED,
    FAILED,
    KILLED
}
