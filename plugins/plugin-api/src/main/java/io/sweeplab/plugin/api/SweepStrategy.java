package io.sweeplab.plugin.api;

import java.util.List;
import java.util.Map;

/**
 * Proposes the configurations a search sweep tries: a grid, random search, Bayesian optimisation, ...
 *
 * <p><b>Lifecycle.</b> One instance for the life of the platform (see {@link Extension}): it must keep no state
 * between calls. The platform calls {@link #propose} on the platform (never on a worker) when the sweep starts and
 * each time a trial ends, with every trial so far, so a restarted platform continues a sweep from its database rows
 * alone. Calls for one sweep never overlap; calls for different sweeps may run at once. A call that throws, hangs
 * or proposes values outside the space ends the sweep's search with the reason recorded; the platform keeps
 * running. Register implementations in {@code META-INF/services/io.sweeplab.plugin.api.SweepStrategy}.
 *
 * @since 1.3
 */
public interface SweepStrategy extends Extension {

    /**
     * Proposes up to {@code count} new configurations.
     *
     * @param params values validated against {@link #params()} and {@link #validate(Params)}
     * @param count how many trials the sweep has room for now (at least 1)
     * @return at most {@code count} configurations, each giving every path of the space a value inside its domain;
     *     fewer when the strategy has no more to offer (an exhausted grid); none ends the search
     */
    List<Map<String, Object>> propose(Params params, SearchContext context, int count);

    /**
     * Checks that this strategy can search the space, before a sweep starts; the violations name the path at fault
     * (a grid cannot enumerate a float range). Accepts every space by default.
     */
    default List<ParamViolation> check(Params params, SearchSpace space) {
        return List.of();
    }
}
