package io.sweeplab.plugins.search;

import java.util.Arrays;

/** Percentiles as numpy's {@code percentile} computes them by default: linear between the closest ranks. */
final class Percentile {
    private Percentile() {}

    /** @param p from 0 to 100; {@code values} not empty and without NaN */
    static double of(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
