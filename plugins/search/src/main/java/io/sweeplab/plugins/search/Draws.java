package io.sweeplab.plugins.search;

import io.sweeplab.plugin.api.SearchSpace;
import io.sweeplab.plugin.api.SearchSpace.Choice;
import io.sweeplab.plugin.api.SearchSpace.Domain;
import io.sweeplab.plugin.api.SearchSpace.FloatRange;
import io.sweeplab.plugin.api.SearchSpace.IntRange;
import io.sweeplab.plugin.api.Trial;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random draws from a space. The generator of a trial depends only on the sweep's seed and the trial's number, so a
 * sweep replayed from its rows draws the same values, whatever else happened in between.
 */
final class Draws {

    private Draws() {}

    /** The generator of trial {@code number} of a sweep seeded {@code seed}. */
    static SplittableRandom forTrial(long seed, int number) {
        return new SplittableRandom(mix(mix(seed) + number));
    }

    /** The number the next proposed trial gets: one more than the highest so far. */
    static int nextNumber(List<Trial> trials) {
        int max = 0;
        for (Trial t : trials) {
            max = Math.max(max, t.number());
        }
        return max + 1;
    }

    /** A value of every dimension, drawn in path order. */
    static Map<String, Object> configuration(SearchSpace space, SplittableRandom rng) {
        Map<String, Object> out = new LinkedHashMap<>();
        space.dimensions().forEach((path, domain) -> out.put(path, draw(domain, rng)));
        return out;
    }

    /**
     * A uniform draw: a choice's value, an integer (log-uniform over {@code [low - 0.5, high + 0.5]} then rounded, as
     * Optuna does, when {@code log}) or a real (log-uniform when {@code log}); always inside the domain.
     */
    static Object draw(Domain domain, SplittableRandom rng) {
        if (domain instanceof Choice c) {
            return c.values().get(rng.nextInt(c.values().size()));
        }
        if (domain instanceof IntRange r) {
            if (!r.log()) {
                return (int) rng.nextLong(r.low(), r.high() + 1L);
            }
            double x = Math.exp(uniform(rng, Math.log(r.low() - 0.5), Math.log(r.high() + 0.5)));
            return clamp(Math.round(x), r.low(), r.high());
        }
        FloatRange f = (FloatRange) domain;
        if (!f.log()) {
            return Math.min(f.high(), f.low() + rng.nextDouble() * (f.high() - f.low()));
        }
        double x = Math.exp(uniform(rng, Math.log(f.low()), Math.log(f.high())));
        return Math.max(f.low(), Math.min(f.high(), x));
    }

    static int clamp(long x, int low, int high) {
        return (int) Math.max(low, Math.min(high, x));
    }

    private static double uniform(SplittableRandom rng, double low, double high) {
        return low + rng.nextDouble() * (high - low);
    }

    /** Stafford's variant 13 of the 64-bit finaliser (as SplittableRandom mixes its seeds). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
