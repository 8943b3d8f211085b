package io.sweeplab.core.sweep;

import io.sweeplab.core.run.Run;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A grid of runs launched together, or a search whose runs a strategy proposes as earlier ones finish.
 *
 * @param grid the grid of a grid sweep; empty for a search sweep
 * @param search how a search sweep searches; null for a grid sweep
 * @param status queued, running, succeeded (every run ended, none failed), failed (some failed) or cancelled
 * @param counts runs per status
 */
public record Sweep(
        long id,
        String team,
        long experiment,
        String name,
        Map<String, Object> base,
        Map<String, List<Object>> grid,
        String template,
        String status,
        Map<String, Integer> counts,
        int size,
        Instant createdAt,
        Instant cancelledAt,
        List<Run> runs,
        Search search) {

    public boolean isSearch() {
        return search != null;
    }
}
