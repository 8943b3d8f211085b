package io.sweeplab.core.sweep;

import io.sweeplab.core.error.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a search space from its JSON form, {@code {<path>: {"values": [...]} | {"int": [lo, hi]} |
 * {"float": [lo, hi], "log": true}}}, and checks a strategy's proposals against it.
 */
public final class SearchSpaces {

    private static final Set<String> KEYS = Set.of("values", "int", "float", "log");
    private static final String SHAPE = "a domain is {\"values\": [...]}, {\"int\": [lo, hi]} or"
            + " {\"float\": [lo, hi]}, with \"log\": true for a log scale";

    private SearchSpaces() {}

    /**
     * The space, adding an error naming {@code <field>.<path>} for each bad dimension.
     *
     * @return the dimensions that could be read
     */
    public static io.sweeplab.plugin.api.SearchSpace parse(
            Map<String, Object> json, String field, List<FieldError> errors) {
        Map<String, io.sweeplab.plugin.api.SearchSpace.Domain> out = new LinkedHashMap<>();
        if (json.isEmpty()) {
            errors.add(new FieldError(field, "needs at least one dimension"));
        }
        for (Map.Entry<String, Object> e : json.entrySet()) {
            String at = field + "." + e.getKey();
            String pathError = Grid.pathError(e.getKey());
            if (pathError != null) {
                errors.add(new FieldError(at, pathError));
                continue;
            }
            try {
                out.put(e.getKey(), domain(e.getValue()));
            } catch (IllegalArgumentException bad) {
                errors.add(new FieldError(at, bad.getMessage()));
            }
        }
        return new io.sweeplab.plugin.api.SearchSpace(out);
    }

    @SuppressWarnings("unchecked")
    private static io.sweeplab.plugin.api.SearchSpace.Domain domain(Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("must be an object: " + SHAPE);
        }
        Map<String, Object> d = (Map<String, Object>) m;
        for (String k : d.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("unknown key '" + k + "': " + SHAPE);
            }
        }
        int kinds =
                (d.containsKey("values") ? 1 : 0) + (d.containsKey("int") ? 1 : 0) + (d.containsKey("float") ? 1 : 0);
        if (kinds != 1) {
            throw new IllegalArgumentException("needs exactly one of values, int, float: " + SHAPE);
        }
        Object log = d.get("log");
        if (log != null && !(log instanceof Boolean)) {
            throw new IllegalArgumentException("log must be true or false");
        }
        boolean isLog = Boolean.TRUE.equals(log);
        if (d.containsKey("values")) {
            if (isLog) {
                throw new IllegalArgumentException("log applies to int and float ranges, not to values");
            }
            if (!(d.get("values") instanceof List<?> values) || values.isEmpty()) {
                throw new IllegalArgumentException("values must be a list of at least one value");
            }
            if (values.stream().anyMatch(java.util.Objects::isNull)) { // List.of would throw on contains(null)
                throw new IllegalArgumentException("values must not hold null");
            }
            return new io.sweeplab.plugin.api.SearchSpace.Choice((List<Object>) values);
        }
        boolean isInt = d.containsKey("int");
        Object range = d.get(isInt ? "int" : "float");
        if (!(range instanceof List<?> r)
                || r.size() != 2
                || !(r.get(0) instanceof Number lo)
                || !(r.get(1) instanceof Number hi)) {
            throw new IllegalArgumentException((isInt ? "int" : "float") + " must be [low, high], two numbers");
        }
        if (isInt) {
            if (!integral(lo) || !integral(hi)) {
                throw new IllegalArgumentException("an int range needs whole numbers, got [" + lo + ", " + hi + "]");
            }
            return new io.sweeplab.plugin.api.SearchSpace.IntRange(lo.intValue(), hi.intValue(), isLog);
        }
        return new io.sweeplab.plugin.api.SearchSpace.FloatRange(lo.doubleValue(), hi.doubleValue(), isLog);
    }

    private static boolean integral(Number n) {
        double v = n.doubleValue();
        return v == Math.rint(v) && Math.abs(v) <= Integer.MAX_VALUE;
    }

    /**
     * A proposal as the runs get it: every path of the space, nothing else, each value inside its domain, ints as
     * {@link Integer} and floats as {@link Double}.
     *
     * @throws IllegalStateException naming the strategy and what is wrong
     */
    static Map<String, Object> check(
            io.sweeplab.plugin.api.SearchSpace space, Map<String, Object> proposal, String strategy) {
        if (proposal == null) {
            throw new IllegalStateException("propose() of " + strategy + " returned a null configuration");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, io.sweeplab.plugin.api.SearchSpace.Domain> d :
                space.dimensions().entrySet()) {
            Object v = proposal.get(d.getKey());
            if (v == null || !d.getValue().contains(v)) {
                throw new IllegalStateException("propose() of " + strategy + " gave " + d.getKey() + " = " + v
                        + ", outside its domain " + d.getValue());
            }
            if (d.getValue() instanceof io.sweeplab.plugin.api.SearchSpace.IntRange) {
                v = ((Number) v).intValue();
            } else if (d.getValue() instanceof io.sweeplab.plugin.api.SearchSpace.FloatRange) {
                v = ((Number) v).doubleValue();
            }
            out.put(d.getKey(), v);
        }
        for (String k : proposal.keySet()) {
            if (!space.dimensions().containsKey(k)) {
                throw new IllegalStateException(
                        "propose() of " + strategy + " gave " + k + ", which is not in the space");
            }
        }
        return out;
    }
}
