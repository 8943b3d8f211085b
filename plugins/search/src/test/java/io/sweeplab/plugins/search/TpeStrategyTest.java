package io.sweeplab.plugins.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweeplab.plugin.api.Objective;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.SearchSpace;
import io.sweeplab.plugin.api.SearchSpace.Choice;
import io.sweeplab.plugin.api.SearchSpace.Domain;
import io.sweeplab.plugin.api.SearchSpace.FloatRange;
import io.sweeplab.plugin.api.SweepStrategy;
import io.sweeplab.plugin.api.Trial;
import io.sweeplab.plugin.testkit.SearchContexts;
import io.sweeplab.plugin.testkit.StrategyContract;
import io.sweeplab.plugin.testkit.Trials;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class TpeStrategyTest extends StrategyContract {

    private static final Objective LOSS = new Objective("valLoss", Objective.Goal.MIN);
    private static final int SEEDS = 30;

    @Override
    protected SweepStrategy strategy() {
        return new TpeStrategy();
    }

    private static Params params(SweepStrategy s, Map<String, ?> raw) {
        return s.params().validate(raw).params();
    }

    /** Runs a sequential sweep of {@code budget} trials on {@code f} (minimised); returns the best value found. */
    private static double best(
            SweepStrategy strategy, SearchSpace space, ToDoubleFunction<Map<String, Object>> f, int budget, long seed) {
        Params params = params(strategy, Map.of());
        List<Trial> trials = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (int n = 1; n <= budget; n++) {
            Map<String, Object> config = strategy.propose(params, SearchContexts.of(space, LOSS, trials, seed), 1)
                    .get(0);
            double value = f.applyAsDouble(config);
            trials.add(Trials.complete(n, config, value));
            best = Math.min(best, value);
        }
        return best;
    }

    private static SearchSpace box(int dims, double low, double high) {
        Map<String, Domain> d = new LinkedHashMap<>();
        for (int i = 0; i < dims; i++) {
            d.put("x" + i, new FloatRange(low, high, false));
        }
        return new SearchSpace(d);
    }

    private static double x(Map<String, Object> c, int i) {
        return (Double) c.get("x" + i);
    }

    /** Branin on [-5, 10] x [0, 15]; its minimum is 0.397887. */
    static double branin(Map<String, Object> c) {
        double x1 = x(c, 0);
        double x2 = x(c, 1);
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double cc = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        return Math.pow(x2 - b * x1 * x1 + cc * x1 - 6, 2) + 10 * (1 - t) * Math.cos(x1) + 10;
    }

    private static SearchSpace braninSpace() {
        Map<String, Domain> d = new LinkedHashMap<>();
        d.put("x0", new FloatRange(-5, 10, false));
        d.put("x1", new FloatRange(0, 15, false));
        return new SearchSpace(d);
    }

    private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};
    private static final double[][] A = {
        {10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}
    };
    private static final double[][] P = {
        {1312, 1696, 5569, 124, 8283, 5886},
        {2329, 4135, 8307, 3736, 1004, 9991},
        {2348, 1451, 3522, 2883, 3047, 6650},
        {4047, 8828, 8732, 5743, 1091, 381}
    };

    /** Hartmann-6 on [0, 1]^6; its minimum is -3.32237. */
    static double hartmann6(Map<String, Object> c) {
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            double inner = 0;
            for (int j = 0; j < 6; j++) {
                double d = x(c, j) - P[i][j] * 1e-4;
                inner += A[i][j] * d * d;
            }
            sum += ALPHA[i] * Math.exp(-inner);
        }
        return -sum;
    }

    private record Race(double tpeMedian, double randomMedian, int tpeWins) {}

    private static Race race(String name, SearchSpace space, ToDoubleFunction<Map<String, Object>> f, int budget) {
        double[] tpe = new double[SEEDS];
        double[] random = new double[SEEDS];
        int wins = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            tpe[seed] = best(new TpeStrategy(), space, f, budget, 1000 + seed);
            random[seed] = best(new RandomStrategy(), space, f, budget, 1000 + seed);
            if (tpe[seed] < random[seed]) {
                wins++;
            }
        }
        Race race = new Race(median(tpe), median(random), wins);
        System.out.printf(
                Locale.ROOT,
                "tpe vs random, %s, %d trials, %d seeds: median best tpe %.4f, random %.4f; tpe better on %d of %d"
                        + " seeds%n",
                name,
                budget,
                SEEDS,
                race.tpeMedian,
                race.randomMedian,
                wins,
                SEEDS);
        return race;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    @Test
    void tpe_finds_a_better_median_best_than_random_on_branin_and_hartmann6() {
        Race branin = race("Branin", braninSpace(), TpeStrategyTest::branin, 40);
        Race hartmann = race("Hartmann-6", box(6, 0, 1), TpeStrategyTest::hartmann6, 60);
        assertThat(branin.tpeMedian).isLessThan(branin.randomMedian);
        assertThat(hartmann.tpeMedian).isLessThan(hartmann.randomMedian);
    }

    @Test
    void the_startup_trials_are_the_random_ones_and_later_proposals_differ() {
        SearchSpace space = RandomStrategyTest.mixed();
        TpeStrategy tpe = new TpeStrategy();
        Params defaults = params(tpe, Map.of());
        assertThat(tpe.propose(defaults, SearchContexts.of(space, LOSS, List.of(), 3), 4))
                .isEqualTo(new RandomStrategy()
                        .propose(new Params(Map.of()), SearchContexts.of(space, LOSS, List.of(), 3), 4));
        List<Trial> trials = new ArrayList<>();
        for (Map<String, Object> c :
                new RandomStrategy().propose(new Params(Map.of()), SearchContexts.of(space, LOSS, List.of(), 3), 12)) {
            trials.add(Trials.complete(trials.size() + 1, c, ((Double) c.get("learningRate"))));
        }
        List<Map<String, Object>> next = tpe.propose(defaults, SearchContexts.of(space, LOSS, trials, 3), 20);
        assertThat(next).hasSize(20).doesNotHaveDuplicates();
        // the objective is the learning rate: the good trials pull the proposals towards small rates
        assertThat(next.stream()
                        .mapToDouble(c -> (Double) c.get("learningRate"))
                        .sorted()
                        .toArray()[10])
                .as("the median proposed rate (a random one's is 1e-3)")
                .isLessThan(1e-3);
        for (Map<String, Object> c : next) {
            space.dimensions()
                    .forEach((path, domain) -> assertThat(domain.contains(c.get(path)))
                            .as(path + " = " + c.get(path))
                            .isTrue());
        }
    }

    @Test
    void a_choice_of_lists_is_learned_by_its_values() {
        Choice filters = new Choice(List.of(List.of(8), List.of(16, 32), List.of(32, 64, 128)));
        SearchSpace space = new SearchSpace(Map.of("params.filters", filters));
        List<Trial> trials = new ArrayList<>();
        for (int n = 1; n <= 30; n++) {
            List<?> value = (List<?>) filters.values().get(n % 3);
            // the good ones come back from the database as doubles: still the choice's second value
            Object stored = value.size() == 2 ? List.of(16.0, 32.0) : value;
            trials.add(Trials.complete(n, Map.of("params.filters", stored), value.size() == 2 ? 0.1 : 1.0 + n));
        }
        TpeStrategy tpe = new TpeStrategy();
        List<Map<String, Object>> next =
                tpe.propose(params(tpe, Map.of()), SearchContexts.of(space, LOSS, trials, 8), 10);
        assertThat(next).allMatch(c -> c.get("params.filters").equals(List.of(16, 32)));
    }

    @Test
    void the_parzen_bandwidths_follow_optunas_rules() {
        // five observations on [0, 10] and the prior at 5: each kernel as wide as the larger gap to its sorted
        // neighbours, the outermost measured inward only (so 0.5 for the one at 3, not 3), clipped to at least
        // 10 / (5 + 2); the prior as wide as the range; weights all 1 (fewer than 25 observations)
        Parzen p = Parzen.numeric(new double[] {3, 3.5, 4, 4.5, 9}, 0, 10, 0, 1.0);
        double min = 10.0 / 7;
        double[] w = new double[6];
        Arrays.fill(w, 1.0 / 6);
        for (double x : new double[] {0.5, 3, 6.5, 9.5}) {
            double expected =
                    logMix(w, new double[] {3, 3.5, 4, 4.5, 9, 5}, new double[] {min, min, min, min, 4, 10}, x, 0, 10);
            assertThat(p.logPdf(x)).as("at " + x).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
        }
        // over 25 observations the oldest get a ramp from 1/n, as numpy.linspace(1/n, 1, n - 25)
        double[] w30 = Parzen.observationWeights(30);
        assertThat(Arrays.copyOfRange(w30, 0, 5))
                .containsExactly(
                        new double[] {1.0 / 30, 0.275, 0.5166666, 0.7583333, 1},
                        org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Arrays.copyOfRange(w30, 5, 30)).containsOnly(1.0);
        assertThat(TpeStrategy.gamma(10)).isEqualTo(1);
        assertThat(TpeStrategy.gamma(11)).isEqualTo(2);
        assertThat(TpeStrategy.gamma(1000)).isEqualTo(25);
    }

    private static double logMix(double[] w, double[] mu, double[] sigma, double x, double low, double high) {
        double p = 0;
        for (int k = 0; k < w.length; k++) {
            double z = (x - mu[k]) / sigma[k];
            double density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) / sigma[k];
            double mass = Gauss.erfc(-(high - mu[k]) / sigma[k] / Math.sqrt(2)) / 2
                    - Gauss.erfc(-(low - mu[k]) / sigma[k] / Math.sqrt(2)) / 2;
            p += w[k] * density / mass;
        }
        return Math.log(p);
    }
}
