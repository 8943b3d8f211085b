package io.sweeplab.core.sweep;

import io.sweeplab.core.run.Run;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A grid of runs launched together.
 *
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
        List<Run> runs) {}
