package io.sweeplab.core.sweep;

import io.sweeplab.core.run.ExtensionUse;
import io.sweeplab.plugin.api.Objective;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How a search sweep searches: the strategy that proposes its trials, the space (as the request gave it, by path),
 * the objective, the budget, how many trials may be unfinished at once, the scheduler that may stop trials early,
 * and where the search stands.
 *
 * @param space path to domain JSON: {@code {"values": [...]}}, {@code {"int": [lo, hi]}} or
 *     {@code {"float": [lo, hi], "log": true}}
 * @param scheduler null when no scheduler stops trials early
 * @param seed the seed the strategy derives its choices from
 * @param startedAt when the search started, or was last extended: the time budget counts from then
 * @param ended why the search proposes no more trials (budget spent, strategy exhausted, strategy failed), or null
 *     while it may propose more
 * @param trials every trial proposed so far, in number order
 */
public record Search(
        ExtensionUse strategy,
        Map<String, Object> space,
        Objective objective,
        Budget budget,
        int parallelism,
        ExtensionUse scheduler,
        long seed,
        Instant startedAt,
        String ended,
        List<TrialRecord> trials) {

    /**
     * @param maxRuns the most trials the sweep proposes
     * @param maxHours no trial is proposed once this long has passed since {@code startedAt}; null for no limit
     */
    public record Budget(int maxRuns, Double maxHours) {}

    /**
     * One proposed configuration.
     *
     * @param number from 1, in the order proposed
     * @param params the value of each path of the space
     * @param run the run that trains it; null when the platform refused the configuration
     * @param error why the configuration was refused, or null
     * @param proposedAt when the strategy proposed it
     */
    public record TrialRecord(int number, Map<String, Object> params, Long run, String error, Instant proposedAt) {}
}
