package io.sweeplab.plugins.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.plugin.api.Objective;
import io.sweeplab.plugin.api.ParamViolation;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.SearchSpace;
import io.sweeplab.plugin.api.SearchSpace.Choice;
import io.sweeplab.plugin.api.SearchSpace.Domain;
import io.sweeplab.plugin.api.SearchSpace.FloatRange;
import io.sweeplab.plugin.api.SearchSpace.IntRange;
import io.sweeplab.plugin.api.SweepStrategy;
import io.sweeplab.plugin.api.Trial;
import io.sweeplab.plugin.testkit.SearchContexts;
import io.sweeplab.plugin.testkit.StrategyContract;
import io.sweeplab.plugin.testkit.Trials;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GridStrategyTest extends StrategyContract {

    private static final Objective LOSS = new Objective("valLoss", Objective.Goal.MIN);
    private static final Params NONE = new Params(Map.of());

    @Override
    protected SweepStrategy strategy() {
        return new GridStrategy();
    }

    private static SearchSpace space() {
        Map<String, Domain> d = new LinkedHashMap<>();
        d.put("params.filters", new Choice(List.of(List.of(16), List.of(16, 32))));
        d.put("epochs", new IntRange(1, 3, false));
        return new SearchSpace(d);
    }

    private static List<Map<String, Object>> propose(List<Trial> trials, int count) {
        return new GridStrategy().propose(NONE, SearchContexts.of(space(), LOSS, trials, 1), count);
    }

    @Test
    void enumerates_the_product_in_path_order_the_last_path_fastest() {
        assertThat(propose(List.of(), 10))
                .containsExactly(
                        Map.of("params.filters", List.of(16), "epochs", 1),
                        Map.of("params.filters", List.of(16), "epochs", 2),
                        Map.of("params.filters", List.of(16), "epochs", 3),
                        Map.of("params.filters", List.of(16, 32), "epochs", 1),
                        Map.of("params.filters", List.of(16, 32), "epochs", 2),
                        Map.of("params.filters", List.of(16, 32), "epochs", 3));
        assertThat(propose(List.of(), 2)).hasSize(2);
    }

    @Test
    void skips_the_cells_already_tried_comparing_numbers_by_value_and_ends_when_exhausted() {
        List<Trial> tried = List.of(
                Trials.complete(1, Map.of("params.filters", List.of(16.0), "epochs", 1.0), 0.5),
                Trials.failed(2, Map.of("params.filters", List.of(16), "epochs", 3L)),
                Trials.running(3, Map.of("params.filters", List.of(16, 32), "epochs", 2)));
        assertThat(propose(tried, 2))
                .containsExactly(
                        Map.of("params.filters", List.of(16), "epochs", 2),
                        Map.of("params.filters", List.of(16, 32), "epochs", 1));
        assertThat(propose(tried, 5))
                .hasSize(3)
                .last()
                .isEqualTo(Map.of("params.filters", List.of(16, 32), "epochs", 3));
        List<Trial> all = propose(List.of(), 6).stream()
                .map(c -> Trials.complete(1, c, 0.1))
                .toList();
        assertThat(propose(all, 3)).isEmpty();
    }

    @Test
    void refuses_float_ranges_and_grids_over_a_hundred_thousand_cells() {
        Map<String, Domain> d = new LinkedHashMap<>();
        d.put("learningRate", new FloatRange(1e-4, 1e-1, true));
        d.put("epochs", new IntRange(1, 3, false));
        assertThat(new GridStrategy().check(NONE, new SearchSpace(d)))
                .containsExactly(new ParamViolation(
                        "learningRate", "a grid needs values or an int range; use random or tpe for a float range"));
        Map<String, Domain> big = new LinkedHashMap<>();
        big.put("params.units", new IntRange(1, 1000, false));
        big.put("params.batch", new IntRange(1, 100, false));
        assertThat(new GridStrategy().check(NONE, new SearchSpace(big))).isEmpty();
        big.put("epochs", new IntRange(1, 2, false));
        assertThat(new GridStrategy().check(NONE, new SearchSpace(big)))
                .extracting(ParamViolation::param, ParamViolation::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "space", "the grid has 200000 cells, more than 100000; use random or tpe"));
    }
}
