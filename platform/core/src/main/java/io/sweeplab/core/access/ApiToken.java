package io.sweeplab.core.access;

import java.time.Instant;

/**
 * An API token as listed: never its secret, which is shown once at creation and stored only as a hash.
 *
 * @param prefix the secret's first characters, to tell tokens apart
 * @param user the user it acts for (for worker tokens: the administrator or team owner who created it)
 * @param team for a team's worker token, that team: its workers claim only the team's runs; else null
 */
public record ApiToken(
        long id,
        String user,
        String name,
        TokenScope scope,
        String prefix,
        Instant createdAt,
        Instant lastUsedAt,
        Instant revokedAt,
        String team) {}
