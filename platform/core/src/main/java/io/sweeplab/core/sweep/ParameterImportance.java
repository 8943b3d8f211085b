package io.sweeplab.core.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How much each swept parameter explains the objective: a random forest of regression trees, each grown on a
 * bootstrap sample of the runs, and for each parameter the increase of the trees' mean squared error on their
 * out-of-bag runs when that parameter's values are shuffled among them (Breiman's permutation importance). Increases
 * below zero count as zero; the importances are normalised to sum 1. Categorical parameters enter as codes (the
 * index of their value). Deterministic for a given seed.
 */
public final class ParameterImportance {

    public static final int TREES = 64;
    /** Fewer runs than this say too little for a forest. */
    public static final int MIN_RUNS = 8;

    public static final String METHOD = "random-forest permutation importance, " + TREES + " trees, out-of-bag";

    private static final int MIN_LEAF = 2;

    /**
     * @param importance each parameter's share, summing to 1 (all 0 when no parameter explains anything); empty when
     *     {@code unavailable}
     * @param unavailable why there is no importance (too few runs, no parameter), or null
     */
    public record Result(String method, Map<String, Double> importance, String unavailable) {}

    private ParameterImportance() {}

    /**
     * @param names the parameters, one per column of {@code x}
     * @param x one row per run: each parameter's value (a number, or a categorical's code)
     * @param y the objective of each run
     */
    public static Result of(List<String> names, double[][] x, double[] y, long seed) {
        if (names.isEmpty()) {
            return new Result(METHOD, Map.of(), "no swept parameter");
        }
        if (y.length < MIN_RUNS) {
            return new Result(
                    METHOD, Map.of(), "needs at least " + MIN_RUNS + " runs with a value (" + y.length + " so far)");
        }
        int n = y.length;
        int p = names.size();
        int features = Math.max(1, (int) Math.ceil(p / 3.0)); // tried at each split, as regression forests do
        SplittableRandom random = new SplittableRandom(seed);
        double[] increase = new double[p];
        int scored = 0;
        for (int t = 0; t < TREES; t++) {
            int[] bag = new int[n];
            boolean[] in = new boolean[n];
            for (int i = 0; i < n; i++) {
                bag[i] = random.nextInt(n);
                in[bag[i]] = true;
            }
            int[] oob =
                    java.util.stream.IntStream.range(0, n).filter(i -> !in[i]).toArray();
            if (oob.length == 0) {
                continue;
            }
            Node tree = grow(x, y, bag, features, random);
            double base = mse(tree, x, y, oob, -1, null);
            for (int j = 0; j < p; j++) {
                int[] shuffled = oob.clone();
                for (int i = shuffled.length - 1; i > 0; i--) {
                    int k = random.nextInt(i + 1);
                    int s = shuffled[i];
                    shuffled[i] = shuffled[k];
                    shuffled[k] = s;
                }
                increase[j] += mse(tree, x, y, oob, j, shuffled) - base;
            }
            scored++;
        }
        double total = 0;
        for (int j = 0; j < p; j++) {
            increase[j] = scored == 0 ? 0 : Math.max(0, increase[j] / scored);
            total += increase[j];
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int j = 0; j < p; j++) {
            out.put(names.get(j), total == 0 ? 0 : increase[j] / total);
        }
        return new Result(METHOD, out, null);
    }

    /**
     * The mean squared error of a tree on some runs; with {@code feature} >= 0, that feature's value of run
     * {@code rows[i]} is taken from run {@code from[i]}.
     */
    private static double mse(Node tree, double[][] x, double[] y, int[] rows, int feature, int[] from) {
        double sum = 0;
        for (int i = 0; i < rows.length; i++) {
            double[] row = x[rows[i]];
            if (feature >= 0) {
                row = row.clone();
                row[feature] = x[from[i]][feature];
            }
            double e = tree.predict(row) - y[rows[i]];
            sum += e * e;
        }
        return sum / rows.length;
    }

    /** A leaf ({@code feature} -1) predicts {@code value}; a split sends values up to {@code threshold} left. */
    private record Node(int feature, double threshold, double value, Node left, Node right) {
        double predict(double[] row) {
            Node n = this;
            while (n.feature >= 0) {
                n = row[n.feature] <= n.threshold ? n.left : n.right;
            }
            return n.value;
        }
    }

    private static Node grow(double[][] x, double[] y, int[] rows, int features, SplittableRandom random) {
        double mean = 0;
        for (int r : rows) {
            mean += y[r];
        }
        mean /= rows.length;
        boolean pure = Arrays.stream(rows).allMatch(r -> y[r] == y[rows[0]]);
        if (rows.length < 2 * MIN_LEAF || pure) {
            return new Node(-1, 0, mean, null, null);
        }
        int p = x[0].length;
        int[] order = java.util.stream.IntStream.range(0, p).toArray();
        for (int i = p - 1; i > 0; i--) { // features in a random order
            int k = random.nextInt(i + 1);
            int s = order[i];
            order[i] = order[k];
            order[k] = s;
        }
        int bestFeature = -1;
        double bestThreshold = 0;
        double bestSse = Double.POSITIVE_INFINITY;
        int tried = 0;
        for (int f = 0; f < p && (tried < features || bestFeature < 0); f++) {
            int j = order[f]; // as many features as asked that can split (others too while none could)
            Integer[] sorted = Arrays.stream(rows).boxed().toArray(Integer[]::new);
            Arrays.sort(sorted, (a, b) -> Double.compare(x[a][j], x[b][j]));
            double total = 0;
            double totalSq = 0;
            for (int r : sorted) {
                total += y[r];
                totalSq += y[r] * y[r];
            }
            if (x[sorted[0]][j] == x[sorted[sorted.length - 1]][j]) {
                continue; // constant here: no split
            }
            tried++;
            double left = 0;
            double leftSq = 0;
            for (int i = 0; i < sorted.length - 1; i++) {
                left += y[sorted[i]];
                leftSq += y[sorted[i]] * y[sorted[i]];
                int nl = i + 1;
                int nr = sorted.length - nl;
                double a = x[sorted[i]][j];
                double b = x[sorted[i + 1]][j];
                if (a == b || nl < MIN_LEAF || nr < MIN_LEAF) {
                    continue;
                }
                double right = total - left;
                double sse = (leftSq - left * left / nl) + (totalSq - leftSq - right * right / nr);
                if (sse < bestSse - 1e-12) {
                    bestSse = sse;
                    bestFeature = j;
                    bestThreshold = (a + b) / 2;
                }
            }
        }
        if (bestFeature < 0) {
            return new Node(-1, 0, mean, null, null);
        }
        List<Integer> l = new ArrayList<>();
        List<Integer> r = new ArrayList<>();
        for (int row : rows) {
            (x[row][bestFeature] <= bestThreshold ? l : r).add(row);
        }
        return new Node(
                bestFeature,
                bestThreshold,
                mean,
                grow(x, y, l.stream().mapToInt(Integer::intValue).toArray(), features, random),
                grow(x, y, r.stream().mapToInt(Integer::intValue).toArray(), features, random));
    }
}
