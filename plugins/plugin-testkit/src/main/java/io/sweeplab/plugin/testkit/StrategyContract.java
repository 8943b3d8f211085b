package io.sweeplab.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sweeplab.plugin.api.Extension;
import io.sweeplab.plugin.api.Objective;
import io.sweeplab.plugin.api.ParamViolation;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.SearchContext;
import io.sweeplab.plugin.api.SearchSpace;
import io.sweeplab.plugin.api.SearchSpace.Choice;
import io.sweeplab.plugin.api.SearchSpace.Domain;
import io.sweeplab.plugin.api.SearchSpace.FloatRange;
import io.sweeplab.plugin.api.SearchSpace.IntRange;
import io.sweeplab.plugin.api.SweepStrategy;
import io.sweeplab.plugin.api.Trial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract of a {@link SweepStrategy}: extend it in your tests and return your strategy.
 *
 * <pre>{@code
 * class SobolStrategyTest extends StrategyContract {
 *     protected SweepStrategy strategy() {
 *         return new SobolStrategy();
 *     }
 * }
 * }</pre>
 *
 * <p>Besides the checks of every extension (metadata, schema, defaults, loading through the platform's host), it runs
 * the strategy, for the defaults and every bound of its schema, over each of {@link #spaces()} that its
 * {@link SweepStrategy#check} accepts: on an empty history it must propose at least one configuration; then through
 * a synthetic sweep (trials complete, stopped, failed and running, two proposed at a time) every proposal must give
 * each path of the space a value inside its domain ({@link Integer} for an int range, {@link Double} for a float
 * range, one of the values of a choice) and never more than asked; and the same context must give the same
 * proposals, from the same instance and from a new one (the platform replays a sweep from its rows).
 */
public abstract class StrategyContract extends ExtensionContract<SweepStrategy> {

    /** The rounds of the synthetic sweep, two trials each. */
    private static final int ROUNDS = 10;

    /** For subclasses. */
    protected StrategyContract() {}

    /** The strategy under test. */
    protected abstract SweepStrategy strategy();

    @Override
    final SweepStrategy extension() {
        return strategy();
    }

    @Override
    final Class<? extends Extension> extensionPoint() {
        return SweepStrategy.class;
    }

    /**
     * The spaces the strategy is run over, by name: a mixed one (a choice of lists, of strings and of numbers, an
     * int range, a log int range, a float range, a log float range), a discrete one (choices and int ranges only)
     * and one of single values. Override to add spaces of your own.
     */
    protected Map<String, SearchSpace> spaces() {
        Map<String, SearchSpace> spaces = new LinkedHashMap<>();
        Map<String, Domain> mixed = new LinkedHashMap<>();
        mixed.put("params.filters", new Choice(List.of(List.of(16, 32), List.of(32, 64), List.of(64, 128, 256))));
        mixed.put("params.units", new IntRange(8, 512, true));
        mixed.put("epochs", new IntRange(1, 5, false));
        mixed.put("learningRate", new FloatRange(1e-5, 1e-1, true));
        mixed.put("callbacks[0].params.threshold", new FloatRange(0.1, 0.9, false));
        mixed.put("params.activation", new Choice(List.of("relu", "tanh")));
        mixed.put("params.dropout", new Choice(List.of(0, 0.25, 0.5)));
        spaces.put("mixed", new SearchSpace(mixed));
        Map<String, Domain> discrete = new LinkedHashMap<>();
        discrete.put("params.filters", new Choice(List.of(List.of(16, 32), List.of(32, 64), List.of(64, 128, 256))));
        discrete.put("epochs", new IntRange(1, 4, false));
        discrete.put("params.activation", new Choice(List.of("relu", "tanh")));
        spaces.put("discrete", new SearchSpace(discrete));
        Map<String, Domain> single = new LinkedHashMap<>();
        single.put("params.activation", new Choice(List.of("relu")));
        single.put("epochs", new IntRange(3, 3, false));
        single.put("learningRate", new FloatRange(0.01, 0.01, false));
        spaces.put("single values", new SearchSpace(single));
        return spaces;
    }

    /** The objective of the synthetic sweep; a loss to minimise by default. */
    protected Objective objective() {
        return new Objective("valLoss", Objective.Goal.MIN);
    }

    /** {@code check} answers every space, each violation naming what is at fault. */
    @Test
    public void checkAnswersEverySpace() {
        SweepStrategy strategy = strategy();
        Params params = defaults(strategy);
        for (Map.Entry<String, SearchSpace> space : spaces().entrySet()) {
            List<ParamViolation> violations = strategy.check(params, space.getValue());
            assertNotNull(violations, "check() of the space '" + space.getKey() + "' returned null");
            for (ParamViolation v : violations) {
                assertFalse(v.param().isBlank(), "a violation of the space '" + space.getKey() + "' names nothing");
            }
        }
    }

    /** A first proposal, on an empty history, inside each space. */
    @TestFactory
    public Stream<DynamicTest> proposesInsideTheSpaceOnAnEmptyHistory() {
        return forEachCase("proposes on an empty history", (strategy, params) -> {
            for (Map.Entry<String, SearchSpace> space : accepted(strategy, params)) {
                SearchContext context = SearchContexts.of(space.getValue(), objective(), List.of(), 7);
                List<Map<String, Object>> proposed = strategy.propose(params, context, 3);
                String at = "the space '" + space.getKey() + "' on an empty history";
                assertNotNull(proposed, "propose() returned null for " + at);
                assertFalse(proposed.isEmpty(), "proposes nothing for " + at + ", which would end the search at once");
                checkProposals(space.getValue(), proposed, 3, at);
            }
        });
    }

    /** Every proposal of a synthetic sweep, with trials in every state, inside each space. */
    @TestFactory
    public Stream<DynamicTest> proposesInsideTheSpaceAsTheSweepGoesOn() {
        return forEachCase("proposes through a sweep", (strategy, params) -> {
            for (Map.Entry<String, SearchSpace> space : accepted(strategy, params)) {
                sweep(strategy, params, space.getKey(), space.getValue());
            }
        });
    }

    /** The same context gives the same proposals, from the same instance and from a new one. */
    @TestFactory
    public Stream<DynamicTest> theSameContextGivesTheSameProposals() {
        return forEachCase("proposes deterministically", (strategy, params) -> {
            for (Map.Entry<String, SearchSpace> space : accepted(strategy, params)) {
                List<Trial> trials = sweep(strategy, params, space.getKey(), space.getValue());
                SearchContext context = SearchContexts.of(space.getValue(), objective(), trials, 11);
                List<Map<String, Object>> first = strategy.propose(params, context, 2);
                assertEquals(
                        first,
                        strategy.propose(params, context, 2),
                        "two calls with the same context propose differently in the space '" + space.getKey()
                                + "': derive randomness from the context's seed and trials only");
                assertEquals(
                        first,
                        strategy().propose(params, context, 2),
                        "a new instance proposes differently in the space '" + space.getKey()
                                + "': keep no state in the strategy");
            }
        });
    }

    private List<Map.Entry<String, SearchSpace>> accepted(SweepStrategy strategy, Params params) {
        List<Map.Entry<String, SearchSpace>> out = new ArrayList<>();
        for (Map.Entry<String, SearchSpace> space : spaces().entrySet()) {
            if (strategy.check(params, space.getValue()).isEmpty()) {
                out.add(space);
            }
        }
        Assumptions.assumeFalse(out.isEmpty(), "the strategy refuses every space of spaces()");
        return out;
    }

    /** Runs {@link #ROUNDS} rounds of two proposals, giving the trials every state; returns the trials. */
    private List<Trial> sweep(SweepStrategy strategy, Params params, String name, SearchSpace space) {
        List<Trial> trials = new ArrayList<>();
        List<Trial> running = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            trials.addAll(running.stream().map(StrategyContract::finish).toList());
            running.clear();
            SearchContext context = SearchContexts.of(space, objective(), trials, 11);
            List<Map<String, Object>> proposed = strategy.propose(params, context, 2);
            String at = "the space '" + name + "' after " + trials.size() + " trials";
            assertNotNull(proposed, "propose() returned null for " + at);
            checkProposals(space, proposed, 2, at);
            if (proposed.isEmpty()) {
                break;
            }
            for (Map<String, Object> config : proposed) {
                int number = trials.size() + running.size() + 1;
                running.add(Trials.running(number, config, synthetic(config)));
            }
        }
        trials.addAll(running);
        return trials;
    }

    /** A running trial's end: every fifth fails, every fifth is stopped after its first epoch, the rest complete. */
    private static Trial finish(Trial t) {
        double v = t.history().get(0);
        return switch (t.number() % 5) {
            case 0 -> Trials.failed(t.number(), t.params(), v);
            case 1 -> Trials.stopped(t.number(), t.params(), v);
            default -> Trials.complete(t.number(), t.params(), v, 0.8 * v, 0.7 * v);
        };
    }

    /** A value that depends on every value of the configuration. */
    private static double synthetic(Map<String, Object> config) {
        double sum = 1;
        for (Object v : config.values()) {
            sum += feature(v);
        }
        return sum;
    }

    private static double feature(Object v) {
        if (v instanceof Number n) {
            return Math.log1p(Math.abs(n.doubleValue()));
        }
        if (v instanceof List<?> list) {
            double s = list.size();
            for (Object o : list) {
                s += feature(o);
            }
            return s;
        }
        return v == null ? 0 : (v.toString().length() % 7) / 7.0;
    }

    private static void checkProposals(SearchSpace space, List<Map<String, Object>> proposed, int count, String at) {
        assertTrue(
                proposed.size() <= count,
                "proposes " + proposed.size() + " configurations for " + at + " when asked for " + count);
        for (Map<String, Object> config : proposed) {
            assertNotNull(config, "a proposal for " + at + " is null");
            assertEquals(
                    space.dimensions().keySet(),
                    config.keySet(),
                    "a proposal for " + at + " does not give exactly the space's paths");
            space.dimensions().forEach((path, domain) -> {
                Object value = config.get(path);
                String what = path + " = " + value + " proposed for " + at;
                assertNotNull(value, what);
                if (domain instanceof IntRange) {
                    assertInstanceOf(Integer.class, value, what + ": an int range's values are Integers");
                } else if (domain instanceof FloatRange) {
                    assertInstanceOf(Double.class, value, what + ": a float range's values are Doubles");
                }
                assertTrue(domain.contains(value), what + " lies outside " + domain);
            });
        }
    }
}
