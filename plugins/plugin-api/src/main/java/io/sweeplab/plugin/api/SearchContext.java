package io.sweeplab.plugin.api;

import java.util.List;

/**
 * What a {@link SweepStrategy} knows when it proposes: the space, the objective, every trial so far and the
 * sweep's seed. Methods added later will be default methods.
 *
 * @since 1.3
 */
public interface SearchContext {

    SearchSpace space();

    Objective objective();

    /** Every trial of the sweep so far, finished or running, in number order. */
    List<Trial> trials();

    /**
     * The sweep's seed. A strategy given the same context must propose the same configurations, so that a sweep
     * replayed from its database rows is the same sweep; derive any randomness from this seed and the trials.
     */
    long seed();
}
