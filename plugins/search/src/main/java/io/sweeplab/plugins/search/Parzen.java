package io.sweeplab.plugins.search;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The univariate Parzen estimator of Optuna's TPE sampler (its defaults: a prior component, the "magic clip" of
 * bandwidths, endpoints not considered): a weighted mixture with one kernel per observation and one prior kernel.
 * Values are internal: the log of a log range's values, a choice's index.
 */
abstract sealed class Parzen {

    /** Draws one internal value. */
    abstract double sample(SplittableRandom rng);

    /** The log density (or log probability, for discrete dimensions) of an internal value. */
    abstract double logPdf(double x);

    /**
     * Optuna's default weights of {@code n} observations in trial order: all 1 below 25, else a ramp from {@code 1/n}
     * to 1 over the oldest {@code n - 25} and 1 for the newest 25.
     */
    static double[] observationWeights(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1.0);
        int ramp = n - 25;
        for (int i = 0; i < ramp; i++) {
            w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1 - 1.0 / n) * i / (ramp - 1);
        }
        return w;
    }

    /** The observations' weights and the prior's, normalised. */
    private static double[] mixtureWeights(int n, double priorWeight) {
        double[] w = Arrays.copyOf(observationWeights(n), n + 1);
        w[n] = n == 0 ? 1.0 : priorWeight;
        double sum = Arrays.stream(w).sum();
        for (int i = 0; i <= n; i++) {
            w[i] /= sum;
        }
        return w;
    }

    private static int pick(double[] weights, SplittableRandom rng) {
        double u = rng.nextDouble();
        double acc = 0;
        for (int i = 0; i < weights.length - 1; i++) {
            acc += weights[i];
            if (u < acc) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static double logSumExp(double[] terms) {
        double max = Double.NEGATIVE_INFINITY;
        for (double t : terms) {
            max = Math.max(max, t);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return max + Math.log(sum);
    }

    /**
     * A mixture of normals truncated to {@code [low, high]}; with {@code step > 0} discretised to the grid
     * {@code low, low + step, ..., high}, each point taking the mass within half a step of it.
     */
    static Parzen numeric(double[] observations, double low, double high, double step, double priorWeight) {
        return new Numeric(observations, low, high, step, priorWeight);
    }

    /** A mixture of categorical distributions over {@code choices} indices, smoothed by the prior weight. */
    static Parzen categorical(double[] observations, int choices, double priorWeight) {
        return new Categorical(observations, choices, priorWeight);
    }

    private static final class Numeric extends Parzen {
        private final double[] weights;
        private final double[] mus;
        private final double[] sigmas;
        private final double[] logNorms;
        private final double low;
        private final double high;
        private final double step;

        Numeric(double[] obs, double low, double high, double step, double priorWeight) {
            int n = obs.length;
            this.low = low;
            this.high = high;
            this.step = step;
            this.weights = mixtureWeights(n, priorWeight);
            double range = high - low + step;
            double priorMu = 0.5 * (low + high);
            mus = Arrays.copyOf(obs, n + 1);
            mus[n] = priorMu;
            sigmas = new double[n + 1];
            // each kernel as wide as the larger gap to its neighbours among the sorted centres (prior included),
            // the outermost ones measured inward only
            Integer[] order = new Integer[n + 1];
            for (int i = 0; i <= n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(mus[a], mus[b]));
            double[] sorted = new double[n + 3];
            sorted[0] = low - step / 2;
            for (int i = 0; i <= n; i++) {
                sorted[i + 1] = mus[order[i]];
            }
            sorted[n + 2] = high + step / 2;
            double[] sortedSigmas = new double[n + 1];
            for (int i = 1; i <= n + 1; i++) {
                sortedSigmas[i - 1] = Math.max(sorted[i] - sorted[i - 1], sorted[i + 1] - sorted[i]);
            }
            if (n + 3 >= 4) {
                sortedSigmas[0] = sorted[2] - sorted[1];
                sortedSigmas[n] = sorted[n + 1] - sorted[n];
            }
            double minSigma = range / Math.min(100.0, 1.0 + n + 1);
            for (int i = 0; i <= n; i++) {
                sigmas[order[i]] = Math.max(minSigma, Math.min(range, sortedSigmas[i]));
            }
            sigmas[n] = range;
            logNorms = new double[n + 1];
            for (int k = 0; k <= n; k++) {
                logNorms[k] = Gauss.logMass(lower(k), upper(k));
            }
        }

        private double lower(int k) {
            return (low - step / 2 - mus[k]) / sigmas[k];
        }

        private double upper(int k) {
            return (high + step / 2 - mus[k]) / sigmas[k];
        }

        @Override
        double sample(SplittableRandom rng) {
            int k = pick(weights, rng);
            double lo = low - step / 2;
            double hi = high + step / 2;
            double x = mus[k];
            // a centre lies inside the bounds, so more than a third of the draws land inside
            for (int attempt = 0; attempt < 10_000; attempt++) {
                double draw = mus[k] + sigmas[k] * rng.nextGaussian();
                if (draw >= lo && draw <= hi) {
                    x = draw;
                    break;
                }
            }
            if (step > 0) {
                x = Math.max(low, Math.min(high, low + Math.rint((x - low) / step) * step));
            }
            return x;
        }

        @Override
        double logPdf(double x) {
            double[] terms = new double[mus.length];
            for (int k = 0; k < mus.length; k++) {
                double s = sigmas[k];
                double logP;
                if (step > 0) {
                    double a = Math.max(x - step / 2, low - step / 2);
                    double b = Math.min(x + step / 2, high + step / 2);
                    logP = Gauss.logMass((a - mus[k]) / s, (b - mus[k]) / s);
                } else {
                    logP = Gauss.logDensity((x - mus[k]) / s) - Math.log(s);
                }
                terms[k] = Math.log(weights[k]) + logP - logNorms[k];
            }
            return logSumExp(terms);
        }
    }

    private static final class Categorical extends Parzen {
        private final double[] weights;
        private final double[][] rows;

        Categorical(double[] obs, int choices, double priorWeight) {
            int n = obs.length;
            weights = mixtureWeights(n, priorWeight);
            rows = new double[n + 1][choices];
            for (int k = 0; k <= n; k++) {
                Arrays.fill(rows[k], priorWeight / (n + 1));
                if (k < n) {
                    rows[k][(int) obs[k]] += 1;
                }
                double sum = Arrays.stream(rows[k]).sum();
                for (int c = 0; c < choices; c++) {
                    rows[k][c] /= sum;
                }
            }
        }

        @Override
        double sample(SplittableRandom rng) {
            return pick(rows[pick(weights, rng)], rng);
        }

        @Override
        double logPdf(double x) {
            double p = 0;
            for (int k = 0; k < rows.length; k++) {
                p += weights[k] * rows[k][(int) x];
            }
            return Math.log(p);
        }
    }
}
