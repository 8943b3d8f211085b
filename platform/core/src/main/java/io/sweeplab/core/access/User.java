package io.sweeplab.core.access;

import java.time.Instant;

/**
 * A user as stored; the password hash never leaves the store's callers in this package and the app's sign-in.
 *
 * @param sessionEpoch sign-in sessions made under an older epoch are ended
 */
public record User(
        long id,
        String username,
        String displayName,
        String passwordHash,
        boolean admin,
        boolean disabled,
        Instant createdAt,
        int sessionEpoch) {}
