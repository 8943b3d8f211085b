package io.sweeplab.core.access;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Where {@link LoginThrottle} keeps its counts: shared by every platform instance (the platform's is a table in
 * PostgreSQL), so that failures on one instance slow sign-ins on the others. The counting itself stays in the
 * throttle; a store only keeps rows and changes one atomically.
 */
public interface LoginFailureStore {

    /**
     * One key's count: its level (failures not yet forgiven), when it last failed, until when it must wait (or
     * {@code null}), and when the row means nothing any more and may be pruned.
     */
    record Failures(double level, Instant last, Instant blockedUntil, Instant forgetAt) {}

    /** The counts of those keys that have one. */
    Map<String, Failures> find(Collection<String> keys);

    /**
     * Replaces the key's count by {@code change} of it ({@code null} when it has none) as one atomic step: two
     * instances counting a failure of the same key at once both count.
     */
    void update(String key, UnaryOperator<Failures> change);

    void remove(Collection<String> keys);

    /** Deletes the counts forgotten before {@code now}. */
    void prune(Instant now);

    /** Forgets every count. */
    void clear();
}
