package io.sweeplab.plugin.testkit;

import static io.sweeplab.plugin.testkit.ContractsTest.runAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.plugin.api.Decision;
import io.sweeplab.plugin.api.Objective;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.SchedulerContext;
import io.sweeplab.plugin.api.SearchContext;
import io.sweeplab.plugin.api.SearchSpace;
import io.sweeplab.plugin.api.SearchSpace.Choice;
import io.sweeplab.plugin.api.SearchSpace.FloatRange;
import io.sweeplab.plugin.api.SearchSpace.IntRange;
import io.sweeplab.plugin.api.SweepStrategy;
import io.sweeplab.plugin.api.TrialScheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The strategy and scheduler contracts catch proposals outside the space and state kept between calls. */
class SearchContractsTest {

    /** Proposes for each dimension what {@code value} makes of its domain and the trial count. */
    static final class Fixed implements SweepStrategy {
        private final Function<SearchSpace.Domain, Object> value;
        private int calls;
        private final boolean stateful;

        Fixed(Function<SearchSpace.Domain, Object> value, boolean stateful) {
            this.value = value;
            this.stateful = stateful;
        }

        public String id() {
            return "fixed";
        }

        public String label() {
            return "Fixed";
        }

        public String version() {
            return "1.0.0";
        }

        public String description() {
            return "Proposes the lowest value of each dimension.";
        }

        public List<Map<String, Object>> propose(Params params, SearchContext context, int count) {
            calls++;
            List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Map<String, Object> c = new LinkedHashMap<>();
                context.space().dimensions().forEach((p, d) -> c.put(p, value.apply(d)));
                if (stateful && calls % 2 == 0) {
                    c.replaceAll((p, v) -> context.space().dimensions().get(p) instanceof Choice ch
                            ? ch.values().get(ch.values().size() - 1)
                            : v);
                }
                out.add(c);
            }
            return out;
        }
    }

    static Object lowest(SearchSpace.Domain d) {
        if (d instanceof Choice c) {
            return c.values().get(0);
        }
        return d instanceof IntRange r ? (Object) r.low() : (Object) ((FloatRange) d).low();
    }

    static StrategyContract contract(SweepStrategy strategy) {
        return new StrategyContract() {
            @Override
            protected SweepStrategy strategy() {
                return strategy;
            }
        };
    }

    @Test
    void a_strategy_proposing_inside_the_space_passes() throws Throwable {
        StrategyContract contract = contract(new Fixed(SearchContractsTest::lowest, false));
        contract.checkAnswersEverySpace();
        runAll(contract.proposesInsideTheSpaceOnAnEmptyHistory());
        runAll(contract.proposesInsideTheSpaceAsTheSweepGoesOn());
        runAll(contract.theSameContextGivesTheSameProposals());
    }

    @Test
    void an_int_range_proposed_as_a_double_fails() {
        StrategyContract contract =
                contract(new Fixed(d -> d instanceof IntRange r ? (Object) (double) r.low() : lowest(d), false));
        assertThatThrownBy(() -> runAll(contract.proposesInsideTheSpaceOnAnEmptyHistory()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("params.units = 8.0 proposed for the space 'mixed' on an empty history")
                .hasMessageContaining("an int range's values are Integers");
    }

    @Test
    void a_value_outside_a_log_range_fails() {
        StrategyContract contract =
                contract(new Fixed(d -> d instanceof FloatRange f && f.log() ? (Object) 0.0 : lowest(d), false));
        assertThatThrownBy(() -> runAll(contract.proposesInsideTheSpaceAsTheSweepGoesOn()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("learningRate = 0.0 proposed for the space 'mixed'")
                .hasMessageContaining("lies outside FloatRange[low=1.0E-5");
    }

    @Test
    void a_strategy_keeping_state_between_calls_fails() {
        StrategyContract contract = contract(new Fixed(SearchContractsTest::lowest, true));
        assertThatThrownBy(() -> runAll(contract.theSameContextGivesTheSameProposals()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("two calls with the same context propose differently in the space 'mixed'");
    }

    /** Stops a trial below 0.5 (above for min); when {@code stateful}, also at every second call. */
    static final class Threshold implements TrialScheduler {
        private final boolean stateful;
        private int calls;

        Threshold(boolean stateful) {
            this.stateful = stateful;
        }

        public String id() {
            return "threshold";
        }

        public String label() {
            return "Threshold";
        }

        public String version() {
            return "1.0.0";
        }

        public String description() {
            return "Stops trials below one half.";
        }

        public Decision decide(Params params, SchedulerContext context) {
            double v = context.trial().at(context.trial().history().size());
            if (stateful && ++calls % 2 == 0) {
                return Decision.stop("every second call");
            }
            return context.objective().better(0.5, v) ? Decision.stop("below one half") : Decision.proceed();
        }
    }

    static SchedulerContract contract(TrialScheduler scheduler) {
        return new SchedulerContract() {
            @Override
            protected TrialScheduler scheduler() {
                return scheduler;
            }
        };
    }

    @Test
    void a_stateless_scheduler_passes_and_a_stateful_one_fails() throws Throwable {
        runAll(contract(new Threshold(false)).answersEveryEpochOfSyntheticSweeps());
        assertThatThrownBy(() -> runAll(contract(new Threshold(true)).answersEveryEpochOfSyntheticSweeps()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("decide differently");
    }

    @Test
    void the_context_helpers_build_what_the_platform_gives() {
        Objective acc = new Objective("valAccuracy", Objective.Goal.MAX);
        SearchSpace space = new SearchSpace(Map.of("epochs", new IntRange(1, 3, false)));
        SearchContext search = SearchContexts.of(
                space, acc, List.of(Trials.complete(2, Map.of("epochs", 2), 0.5, 0.7), Trials.failed(1, Map.of())), 4);
        assertThat(search.trials()).extracting(t -> t.number()).containsExactly(1, 2);
        assertThat(search.trials().get(1).value()).isEqualTo(0.7);
        assertThat(search.seed()).isEqualTo(4);
        SchedulerContext scheduler = SchedulerContexts.of(
                acc, Trials.running(3, Map.of(), 0.4), List.of(Trials.stopped(1, Map.of(), 0.2)), 9);
        assertThat(scheduler.trial().at(1)).isEqualTo(0.4);
        assertThat(scheduler.others().get(0).value()).isEqualTo(0.2);
        assertThat(scheduler.maxEpochs()).isEqualTo(9);
    }
}
