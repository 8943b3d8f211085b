package io.sweeplab.core.sweep;

import io.sweeplab.core.run.RunRequest;
import java.util.List;
import java.util.Map;

/**
 * A sweep as a client asks for it: a grid, or a search.
 *
 * @param base a run request without {@code experiment}: what every cell or trial shares
 * @param grid request path to the values it takes, for example {@code "params.filters": [[16, 16], [32, 32]]}; null
 *     for a search
 * @param strategy for a search: the strategy that proposes its trials, by id, with parameter values
 * @param space for a search: request path to domain, {@code {"values": [...]}}, {@code {"int": [lo, hi]}} or
 *     {@code {"float": [lo, hi], "log": true}}
 * @param objective what the search optimises; valAccuracy to maximise when absent
 * @param budget how many trials at most, and for how long new ones are proposed
 * @param parallelism how many trials may be unfinished at once; 2 when absent
 * @param scheduler what stops a search's trials early, if anything
 * @param seed the seed the strategy derives its choices from; a random one, recorded, when absent
 */
public record SweepRequest(
        Long experiment,
        String name,
        Map<String, Object> base,
        Map<String, List<Object>> grid,
        RunRequest.ExtensionRequest strategy,
        Map<String, Object> space,
        ObjectiveRequest objective,
        BudgetRequest budget,
        Integer parallelism,
        RunRequest.ExtensionRequest scheduler,
        Long seed) {

    /** A grid sweep. */
    public SweepRequest(Long experiment, String name, Map<String, Object> base, Map<String, List<Object>> grid) {
        this(experiment, name, base, grid, null, null, null, null, null, null, null);
    }

    /** Whether this asks for a search rather than a grid. */
    public boolean isSearch() {
        return strategy != null || space != null;
    }

    /** @param goal max or min */
    public record ObjectiveRequest(String metric, String goal) {}

    /** @param maxHours null for no time limit */
    public record BudgetRequest(Integer maxRuns, Double maxHours) {}
}
