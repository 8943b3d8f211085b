package io.sweeplab.core.external;

/** Where an external run is: its Sweeplab id, team and experiment, and whether MLflow deleted it. */
public record RunRef(long id, String team, long experiment, String mlflowId, boolean deleted) {}
