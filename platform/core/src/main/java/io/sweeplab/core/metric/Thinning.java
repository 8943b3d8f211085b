package io.sweeplab.core.metric;

import java.util.Arrays;

/**
 * Which points of a long curve a chart draws: the first and the last, and of each bucket of consecutive points between
 * them its lowest and its highest value, in their order, so that a spike of one point survives the thinning (an even
 * stride would drop it). A curve of at most {@code max} points is kept whole.
 */
public final class Thinning {

    private Thinning() {}

    /**
     * @param values the curve's values in x order (NaN and infinities are never a bucket's minimum or maximum unless
     *     the bucket holds nothing else)
     * @param max the most points to keep, at least 2
     * @return the indices of the points to keep, ascending, at most {@code max} of them
     */
    public static int[] keep(double[] values, int max) {
        return keep(values, values.length, max);
    }

    /** As {@link #keep(double[], int)} for the first {@code n} values. */
    public static int[] keep(double[] values, int n, int max) {
        if (max < 2) {
            throw new IllegalArgumentException("max must be at least 2, not " + max);
        }
        if (n <= max) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int inner = n - 2;
        int buckets = (max - 2) / 2;
        int[] out = new int[2 + 2 * buckets];
        int k = 0;
        out[k++] = 0;
        for (int b = 0; b < buckets; b++) {
            int from = 1 + (int) ((long) b * inner / buckets);
            int to = 1 + (int) ((long) (b + 1) * inner / buckets); // exclusive
            int lo = from;
            int hi = from;
            for (int i = from; i < to; i++) {
                double v = values[i];
                if (!Double.isFinite(v)) {
                    continue;
                }
                if (!Double.isFinite(values[lo]) || v < values[lo]) {
                    lo = i;
                }
                if (!Double.isFinite(values[hi]) || v > values[hi]) {
                    hi = i;
                }
            }
            out[k++] = Math.min(lo, hi);
            if (lo != hi) {
                out[k++] = Math.max(lo, hi);
            }
        }
        out[k++] = n - 1;
        return Arrays.copyOf(out, k);
    }
}
