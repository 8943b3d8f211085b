package io.sweeplab.core.team;

import java.time.Instant;

/** A named question a team studies with runs and sweeps, filed under one of its projects. */
public record Experiment(long id, String team, String project, String name, String description, Instant createdAt) {}
