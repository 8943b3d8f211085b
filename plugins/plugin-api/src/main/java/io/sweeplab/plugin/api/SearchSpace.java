package io.sweeplab.plugin.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a search sweep explores: each dimension is a path into the run request, as in grids ({@code learningRate},
 * {@code params.filters}, {@code callbacks[0].params.threshold}), with the values it may take.
 *
 * @param dimensions path to domain, in the order the sweep request gives them
 * @since 1.3
 */
public record SearchSpace(Map<String, Domain> dimensions) {

    public SearchSpace {
        Objects.requireNonNull(dimensions, "dimensions");
        dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
    }

    /** The paths, in order. */
    public List<String> paths() {
        return List.copyOf(dimensions.keySet());
    }

    /**
     * The values one dimension may take.
     *
     * @since 1.3
     */
    public sealed interface Domain permits Choice, IntRange, FloatRange {

        /** Whether the value (as a strategy proposes it, or as JSON gives it back) lies in this domain. */
        boolean contains(Object value);
    }

    /**
     * One of a list of values: numbers, strings, booleans, or whole lists and objects (a list of filters per layer).
     * Values are JSON values: {@link Integer}, {@link Long}, {@link Double}, {@link String}, {@link Boolean},
     * {@link List}, {@link Map}.
     */
    public record Choice(List<Object> values) implements Domain {
        public Choice {
            Objects.requireNonNull(values, "values");
            if (values.isEmpty()) {
                throw new IllegalArgumentException("a choice needs at least one value");
            }
            values = Collections.unmodifiableList(new java.util.ArrayList<>(values));
        }

        @Override
        public boolean contains(Object value) {
            for (Object v : values) {
                if (Objects.equals(v, value)
                        || (v instanceof Number a && value instanceof Number b && a.doubleValue() == b.doubleValue())) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * An integer in {@code [low, high]}, both included; on a log scale when {@code log} (then {@code low >= 1}).
     * Strategies propose it as an {@link Integer}.
     */
    public record IntRange(int low, int high, boolean log) implements Domain {
        public IntRange {
            if (low > high) {
                throw new IllegalArgumentException("low " + low + " is above high " + high);
            }
            if (log && low < 1) {
                throw new IllegalArgumentException("a log range needs low >= 1");
            }
        }

        @Override
        public boolean contains(Object value) {
            return value instanceof Number n
                    && n.doubleValue() == Math.rint(n.doubleValue())
                    && n.doubleValue() >= low
                    && n.doubleValue() <= high;
        }
    }

    /**
     * A real number in {@code [low, high]}; on a log scale when {@code log} (then {@code low > 0}). Strategies
     * propose it as a {@link Double}.
     */
    public record FloatRange(double low, double high, boolean log) implements Domain {
        public FloatRange {
            if (!Double.isFinite(low) || !Double.isFinite(high) || low > high) {
                throw new IllegalArgumentException("needs finite low <= high, got " + low + ", " + high);
            }
            if (log && low <= 0) {
                throw new IllegalArgumentException("a log range needs low > 0");
            }
        }

        @Override
        public boolean contains(Object value) {
            return value instanceof Number n && n.doubleValue() >= low && n.doubleValue() <= high;
        }
    }
}
