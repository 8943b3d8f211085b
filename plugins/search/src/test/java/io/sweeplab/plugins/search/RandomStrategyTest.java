package io.sweeplab.plugins.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.plugin.api.Objective;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RandomStrategyTest extends StrategyContract {

    private static final Objective LOSS = new Objective("valLoss", Objective.Goal.MIN);
    private static final Params NONE = new Params(Map.of());

    @Override
    protected SweepStrategy strategy() {
        return new RandomStrategy();
    }

    static SearchSpace mixed() {
        Map<String, Domain> d = new LinkedHashMap<>();
        d.put("params.filters", new Choice(List.of(List.of(16, 32), List.of(32, 64, 128))));
        d.put("params.units", new IntRange(1, 1000, true));
        d.put("epochs", new IntRange(2, 4, false));
        d.put("learningRate", new FloatRange(1e-5, 1e-1, true));
        d.put("params.dropout", new FloatRange(0, 0.5, false));
        return new SearchSpace(d);
    }

    @Test
    void a_trial_depends_only_on_the_seed_and_its_number() {
        RandomStrategy random = new RandomStrategy();
        List<Map<String, Object>> batch = random.propose(NONE, SearchContexts.of(mixed(), LOSS, List.of(), 5), 3);
        List<Trial> two = List.of(Trials.complete(1, batch.get(0), 0.3), Trials.failed(2, batch.get(1)));
        assertThat(random.propose(NONE, SearchContexts.of(mixed(), LOSS, two, 5), 1))
                .containsExactly(batch.get(2));
        assertThat(random.propose(NONE, SearchContexts.of(mixed(), LOSS, List.of(), 6), 3))
                .as("another seed")
                .doesNotContainAnyElementsOf(batch);
    }

    @Test
    void draws_cover_the_domains_log_ranges_log_uniformly() {
        List<Map<String, Object>> draws =
                new RandomStrategy().propose(NONE, SearchContexts.of(mixed(), LOSS, List.of(), 9), 2000);
        List<Integer> units = new ArrayList<>();
        int smallRates = 0;
        for (Map<String, Object> c : draws) {
            units.add((Integer) c.get("params.units"));
            if ((Double) c.get("learningRate") < 1e-3) {
                smallRates++;
            }
            assertThat(mixed().dimensions().get("epochs").contains(c.get("epochs")))
                    .isTrue();
        }
        assertThat(units).allMatch(u -> u >= 1 && u <= 1000).contains(1);
        // log-uniform over [1e-5, 1e-1]: half the draws below 1e-3 (a uniform draw would give 1 %)
        assertThat(smallRates).isBetween(900, 1100);
        assertThat(units.stream().filter(u -> u <= 31).count())
                .as("log-uniform over [0.5, 1000.5], then rounded: 54.5 % at most 31")
                .isBetween(1000L, 1180L);
    }
}
