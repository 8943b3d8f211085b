package io.sweeplab.plugin.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Parameter values that passed validation against a {@link ParamSchema}, completed with defaults, in their
 * canonical types ({@link Integer}, {@link Double}, {@link Boolean}, {@link String}, {@code List<Integer>}).
 */
public final class Params {

    private final Map<String, Object> values;

    /** Wraps already-validated values; extensions receive instances made by the host. */
    public Params(Map<String, ?> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public int getInt(String name) {
        return (Integer) require(name);
    }

    public double getDouble(String name) {
        return ((Number) require(name)).doubleValue();
    }

    public boolean getBoolean(String name) {
        return (Boolean) require(name);
    }

    public String getString(String name) {
        return (String) require(name);
    }

    @SuppressWarnings("unchecked")
    public List<Integer> getIntList(String name) {
        return (List<Integer>) require(name);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** All values by name, in schema order. */
    public Map<String, Object> asMap() {
        return values;
    }

    private Object require(String name) {
        Object value = values.get(name);
        if (value == null) {
            throw new NoSuchElementException("no parameter '" + name + "'");
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Params other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
