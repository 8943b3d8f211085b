package io.sweeplab.plugins.search;

import io.sweeplab.plugin.api.Objective;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.SearchContext;
import io.sweeplab.plugin.api.SearchSpace.Choice;
import io.sweeplab.plugin.api.SearchSpace.Domain;
import io.sweeplab.plugin.api.SearchSpace.FloatRange;
import io.sweeplab.plugin.api.SearchSpace.IntRange;
import io.sweeplab.plugin.api.SweepStrategy;
import io.sweeplab.plugin.api.Trial;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The tree-structured Parzen estimator as Optuna's {@code TPESampler} runs it by default (univariate, prior weight
 * 1, magic clip, 24 candidates, gamma {@code min(ceil(0.1 n), 25)}).
 *
 * <p>The first {@code startupTrials} trials are random (the same draws as {@link RandomStrategy}). Then the trials
 * with a value are split into the good {@code gamma(n)} and the rest: complete trials ranked by their value first,
 * then stopped ones ranked by how far they got and their last value (as Optuna ranks pruned trials). Failed trials
 * and running ones are left out (no constant liar): trials proposed together differ because each draws from its own
 * generator (sweep seed and trial number). For each dimension on its own, a Parzen estimator of the good values,
 * l(x), and one of the others, g(x), are built (log ranges in log space, ints as reals rounded to the nearest
 * integer, choices as smoothed categorical weights); {@code candidates} values are drawn from l(x) and the one
 * maximising l(x)/g(x) is proposed.
 */
public final class TpeStrategy implements SweepStrategy {

    private static final ParamSchema PARAMS = ParamSchema.of(
            ParamSpec.ofInt("startupTrials", 10, 0, 1000, "Trials drawn at random before the estimator takes over"),
            ParamSpec.ofInt("candidates", 24, 1, 1000, "Values drawn from the good trials' estimator per parameter"),
            ParamSpec.ofDouble(
                    "priorWeight", 1.0, 0.001, 100, "Weight of the uniform prior kernel in both estimators"));

    @Override
    public String id() {
        return "tpe";
    }

    @Override
    public String label() {
        return "TPE (Bayesian)";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Bayesian search with the tree-structured Parzen estimator, as Optuna's default sampler: after some"
                + " random trials, proposes values likelier among the best trials than among the others.";
    }

    @Override
    public ParamSchema params() {
        return PARAMS;
    }

    @Override
    public List<Map<String, Object>> propose(Params params, SearchContext context, int count) {
        int startup = params.getInt("startupTrials");
        int candidates = params.getInt("candidates");
        double priorWeight = params.getDouble("priorWeight");
        List<Trial> scored = scored(context.trials());
        Split split = scored.size() < startup || scored.isEmpty() ? null : split(scored, context.objective());
        int next = Draws.nextNumber(context.trials());
        List<Map<String, Object>> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SplittableRandom rng = Draws.forTrial(context.seed(), next + i);
            if (split == null) {
                out.add(Draws.configuration(context.space(), rng));
                continue;
            }
            Map<String, Object> config = new LinkedHashMap<>();
            context.space()
                    .dimensions()
                    .forEach((path, domain) ->
                            config.put(path, sample(path, domain, split, candidates, priorWeight, rng)));
            out.add(config);
        }
        return out;
    }

    /** The trials with a value to learn from: complete ones with a value, stopped ones that recorded an epoch. */
    private static List<Trial> scored(List<Trial> trials) {
        return trials.stream()
                .filter(t -> (t.state() == Trial.State.COMPLETE && !Double.isNaN(t.value()))
                        || (t.state() == Trial.State.STOPPED && !Double.isNaN(last(t))))
                .toList();
    }

    private static double last(Trial t) {
        return t.history().isEmpty() ? t.value() : t.history().get(t.history().size() - 1);
    }

    /** The good and the other trials, each in trial-number order. */
    private record Split(List<Trial> good, List<Trial> bad) {}

    /** Optuna's default gamma: the best {@code min(ceil(0.1 n), 25)}, complete trials before stopped ones. */
    static int gamma(int n) {
        return Math.min((int) Math.ceil(0.1 * n), 25);
    }

    private static Split split(List<Trial> scored, Objective objective) {
        Comparator<Trial> byNumber = Comparator.comparingInt(Trial::number);
        List<Trial> complete = new ArrayList<>(scored.stream()
                .filter(t -> t.state() == Trial.State.COMPLETE)
                .sorted(Comparator.comparingDouble((Trial t) -> objective.loss(t.value()))
                        .thenComparing(byNumber))
                .toList());
        List<Trial> stopped = new ArrayList<>(scored.stream()
                .filter(t -> t.state() == Trial.State.STOPPED)
                .sorted(Comparator.comparingInt((Trial t) -> -t.history().size())
                        .thenComparingDouble(t -> objective.loss(last(t)))
                        .thenComparing(byNumber))
                .toList());
        int nGood = gamma(scored.size());
        List<Trial> good = new ArrayList<>();
        List<Trial> bad = new ArrayList<>();
        for (List<Trial> ranked : List.of(complete, stopped)) {
            for (Trial t : ranked) {
                (good.size() < nGood ? good : bad).add(t);
            }
        }
        good.sort(byNumber);
        bad.sort(byNumber);
        return new Split(good, bad);
    }

    private static Object sample(
            String path, Domain domain, Split split, int candidates, double priorWeight, SplittableRandom rng) {
        Dimension dim = new Dimension(domain);
        if (dim.single()) {
            return dim.external(dim.internal(firstValue(domain)));
        }
        Parzen good = dim.estimator(observations(path, dim, split.good()), priorWeight);
        Parzen bad = dim.estimator(observations(path, dim, split.bad()), priorWeight);
        Object best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < candidates; i++) {
            Object value = dim.external(good.sample(rng));
            double x = dim.internal(value);
            double score = good.logPdf(x) - bad.logPdf(x);
            if (best == null || score > bestScore) {
                best = value;
                bestScore = score;
            }
        }
        return best;
    }

    private static Object firstValue(Domain domain) {
        if (domain instanceof Choice c) {
            return c.values().get(0);
        }
        return domain instanceof IntRange r ? (Object) r.low() : (Object) ((FloatRange) domain).low();
    }

    private static double[] observations(String path, Dimension dim, List<Trial> trials) {
        return trials.stream()
                .map(t -> t.params().get(path))
                .filter(Objects::nonNull)
                .filter(dim::contains)
                .mapToDouble(dim::internal)
                .toArray();
    }

    /** One dimension in Optuna's internal representation. */
    private static final class Dimension {
        final Domain domain;

        Dimension(Domain domain) {
            this.domain = domain;
        }

        boolean single() {
            if (domain instanceof Choice c) {
                return c.values().size() == 1;
            }
            return domain instanceof IntRange r
                    ? r.low() == r.high()
                    : ((FloatRange) domain).low() == ((FloatRange) domain).high();
        }

        /** Whether the value lies in the domain; a choice's values compared as values at any depth. */
        boolean contains(Object value) {
            return domain instanceof Choice c ? Values.indexOf(c.values(), value) >= 0 : domain.contains(value);
        }

        /** The internal value: a choice's index, the log of a log range's value, else the value. */
        double internal(Object value) {
            if (domain instanceof Choice c) {
                int i = Values.indexOf(c.values(), value);
                if (i < 0) {
                    throw new IllegalArgumentException(value + " is not among " + c.values());
                }
                return i;
            }
            double x = ((Number) value).doubleValue();
            boolean log = domain instanceof IntRange r ? r.log() : ((FloatRange) domain).log();
            return log ? Math.log(x) : x;
        }

        Object external(double x) {
            if (domain instanceof Choice c) {
                return c.values().get((int) x);
            }
            if (domain instanceof IntRange r) {
                return Draws.clamp(Math.round(r.log() ? Math.exp(x) : x), r.low(), r.high());
            }
            FloatRange f = (FloatRange) domain;
            return Math.max(f.low(), Math.min(f.high(), f.log() ? Math.exp(x) : x));
        }

        Parzen estimator(double[] obs, double priorWeight) {
            if (domain instanceof Choice c) {
                return Parzen.categorical(obs, c.values().size(), priorWeight);
            }
            if (domain instanceof IntRange r) {
                // as Optuna: a log int range is a real range widened by half a step each side, in log space
                return r.log()
                        ? Parzen.numeric(obs, Math.log(r.low() - 0.5), Math.log(r.high() + 0.5), 0, priorWeight)
                        : Parzen.numeric(obs, r.low(), r.high(), 1, priorWeight);
            }
            FloatRange f = (FloatRange) domain;
            return f.log()
                    ? Parzen.numeric(obs, Math.log(f.low()), Math.log(f.high()), 0, priorWeight)
                    : Parzen.numeric(obs, f.low(), f.high(), 0, priorWeight);
        }
    }
}
