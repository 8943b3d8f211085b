package io.sweeplab.core.team;

import java.time.Instant;

/** A team: the unit of ownership. Every experiment, sweep and run belongs to exactly one team. */
public record Team(long id, String slug, String name, Instant createdAt) {}
