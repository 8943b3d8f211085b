package io.sweeplab.core.access;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Who did what and when: sign-ins, tokens, launches, cancels, deletes, membership and plugin changes. */
public interface AuditLog {

    /**
     * @param team the team the action concerns, or null
     * @param target what it was done to, for example {@code run 12}
     * @param address the client's address; null: the address of the request being served, if any
     */
    void record(String actor, String action, String team, String target, Map<String, Object> details, String address);

    default void record(String actor, String action, String team, String target, Map<String, Object> details) {
        record(actor, action, team, target, details, null);
    }

    /** Newest first; {@code before} (an entry id) pages back, null for the newest. */
    List<Entry> entries(Long before, int limit);

    record Entry(
            long id,
            Instant at,
            String actor,
            String action,
            String team,
            String target,
            Map<String, Object> details,
            String address) {}
}
