package io.sweeplab.core.access;

import java.time.Instant;

/** A user's membership of a team. */
public record Member(String username, String displayName, Role role, Instant since) {}
