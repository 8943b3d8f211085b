package io.sweeplab.plugin.testkit;

import io.sweeplab.plugin.api.Objective;
import io.sweeplab.plugin.api.SearchContext;
import io.sweeplab.plugin.api.SearchSpace;
import io.sweeplab.plugin.api.Trial;
import java.util.List;
import java.util.Objects;

/**
 * Search contexts for tests of a {@link io.sweeplab.plugin.api.SweepStrategy}, as the platform builds them from a
 * sweep's rows.
 *
 * <pre>{@code
 * SearchContext ctx = SearchContexts.of(space, new Objective("valLoss", Objective.Goal.MIN),
 *         List.of(Trials.complete(1, Map.of("learningRate", 0.01), 0.9, 0.7)), 42);
 * List<Map<String, Object>> next = strategy.propose(params, ctx, 2);
 * }</pre>
 */
public final class SearchContexts {

    private SearchContexts() {}

    /** A context with the given trials (sorted by number, as the platform gives them) and seed. */
    public static SearchContext of(SearchSpace space, Objective objective, List<Trial> trials, long seed) {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(objective, "objective");
        List<Trial> sorted = trials.stream()
                .sorted(java.util.Comparator.comparingInt(Trial::number))
                .toList();
        return new Context(space, objective, sorted, seed);
    }

    private record Context(SearchSpace space, Objective objective, List<Trial> trials, long seed)
            implements SearchContext {}
}
