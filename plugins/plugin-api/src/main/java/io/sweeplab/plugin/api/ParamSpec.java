package io.sweeplab.plugin.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The declaration of one parameter: its name, type, default value, bounds or choices, and a help text.
 *
 * <p>Create specs with the static factories ({@link #ofInt}, {@link #ofDouble}, ...) rather than the canonical
 * constructor: they check that the default lies within the bounds.
 *
 * @param name the parameter name, a Java-style identifier such as {@code convLayers}
 * @param type the value type
 * @param defaultValue the value used when a run does not give one; {@code null} makes the parameter required
 * @param min the inclusive lower bound of a number (of each element for {@link ParamType#INT_LIST}), or null
 * @param max the inclusive upper bound, or null
 * @param choices the allowed values of a {@link ParamType#CHOICE}; empty for other types
 * @param description a help text shown beside the field
 */
public record ParamSpec(
        String name,
        ParamType type,
        Object defaultValue,
        Double min,
        Double max,
        List<String> choices,
        String description) {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,63}");

    public ParamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("parameter name '" + name + "' is not an identifier");
        }
        choices = choices == null ? List.of() : List.copyOf(choices);
        description = description == null ? "" : description;
        if (type == ParamType.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("choice parameter '" + name + "' needs choices");
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("parameter '" + name + "': min " + min + " > max " + max);
        }
        if (defaultValue != null) {
            Object raw = defaultValue;
            String problem = null;
            try {
                defaultValue = coerceUnchecked(name, type, min, max, choices, raw);
            } catch (InvalidValue e) {
                problem = e.getMessage();
            }
            if (problem != null) {
                throw new IllegalArgumentException(
                        "default of parameter '" + name + "' (" + raw + ") is invalid: " + problem);
            }
        }
    }

    public static ParamSpec ofInt(String name, int defaultValue, int min, int max, String description) {
        return new ParamSpec(name, ParamType.INT, defaultValue, (double) min, (double) max, List.of(), description);
    }

    public static ParamSpec ofDouble(String name, double defaultValue, double min, double max, String description) {
        return new ParamSpec(name, ParamType.DOUBLE, defaultValue, min, max, List.of(), description);
    }

    public static ParamSpec ofBoolean(String name, boolean defaultValue, String description) {
        return new ParamSpec(name, ParamType.BOOLEAN, defaultValue, null, null, List.of(), description);
    }

    public static ParamSpec ofString(String name, String defaultValue, String description) {
        return new ParamSpec(name, ParamType.STRING, defaultValue, null, null, List.of(), description);
    }

    public static ParamSpec ofChoice(String name, String defaultValue, List<String> choices, String description) {
        return new ParamSpec(name, ParamType.CHOICE, defaultValue, null, null, choices, description);
    }

    public static ParamSpec ofIntList(String name, List<Integer> defaultValue, int min, int max, String description) {
        return new ParamSpec(
                name, ParamType.INT_LIST, defaultValue, (double) min, (double) max, List.of(), description);
    }

    /**
     * Converts a value as it arrives from JSON (any {@link Number}, {@link Boolean}, {@link String} or
     * {@link List}) to this parameter's canonical Java type ({@link Integer}, {@link Double}, {@link Boolean},
     * {@link String}, {@code List<Integer>}) and checks its bounds.
     *
     * @throws InvalidValue with a message naming what is wrong, without the parameter name
     */
    public Object coerce(Object value) throws InvalidValue {
        return coerceUnchecked(name, type, min, max, choices, value);
    }

    private static Object coerceUnchecked(
            String name, ParamType type, Double min, Double max, List<String> choices, Object value)
            throws InvalidValue {
        if (value == null) {
            throw new InvalidValue("must not be null");
        }
        switch (type) {
            case INT:
                return checkRange(toInt(value, "must be a whole number"), min, max);
            case DOUBLE: {
                if (!(value instanceof Number)) {
                    throw new InvalidValue("must be a number");
                }
                double d = ((Number) value).doubleValue();
                if (!Double.isFinite(d)) {
                    throw new InvalidValue("must be a finite number");
                }
                checkRange(d, min, max);
                return d;
            }
            case BOOLEAN:
                if (!(value instanceof Boolean)) {
                    throw new InvalidValue("must be true or false");
                }
                return value;
            case STRING:
                if (!(value instanceof String)) {
                    throw new InvalidValue("must be a string");
                }
                return value;
            case CHOICE:
                if (!(value instanceof String) || !choices.contains(value)) {
                    throw new InvalidValue("must be one of " + choices);
                }
                return value;
            case INT_LIST: {
                if (!(value instanceof List<?> list)) {
                    throw new InvalidValue("must be a list of whole numbers");
                }
                List<Integer> out = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    Object element = list.get(i);
                    try {
                        out.add(checkRange(toInt(element, "must be a whole number"), min, max));
                    } catch (InvalidValue e) {
                        throw new InvalidValue("element " + i + " (" + element + ") " + e.getMessage());
                    }
                }
                return List.copyOf(out);
            }
            default:
                throw new IllegalStateException("unhandled type " + type + " of " + name);
        }
    }

    private static int toInt(Object value, String message) throws InvalidValue {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        if (value instanceof BigInteger b && b.bitLength() < 32) {
            return b.intValue();
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            double d = ((Number) value).doubleValue();
            if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw new InvalidValue(message);
    }

    private static <T extends Number> T checkRange(T n, Double min, Double max) throws InvalidValue {
        double d = n.doubleValue();
        if ((min != null && d < min) || (max != null && d > max)) {
            throw new InvalidValue(rangeText(min, max));
        }
        return n;
    }

    private static String rangeText(Double min, Double max) {
        if (min != null && max != null) {
            return "must be between " + fmt(min) + " and " + fmt(max);
        }
        return min != null ? "must be at least " + fmt(min) : "must be at most " + fmt(max);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** Thrown by {@link #coerce(Object)} when a value does not fit the parameter. */
    public static final class InvalidValue extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidValue(String message) {
            super(message, null, false, false);
        }
    }
}
