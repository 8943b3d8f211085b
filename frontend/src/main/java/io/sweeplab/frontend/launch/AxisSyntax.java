package io.sweeplab.frontend.launch;

import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.ParamType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a "values to sweep" field says, for a grid or a search. For a grid, a list of values ({@code 1, 2, 3}; for a
 * list parameter, lists separated by {@code ;}). For a search, the same list is a choice among those values,
 * {@code {"values": [...]}}, and a range of a number parameter, {@code lo..hi} with an optional {@code log}, is an
 * int range for an int parameter ({@code {"int": [lo, hi]}}) and a float range for a decimal one
 * ({@code {"float": [lo, hi]}}). Each value and each end of a range is checked against the parameter's schema.
 */
final class AxisSyntax {

    private AxisSyntax() {}

    /** The grid values of a field's text (empty text: none), each coerced by the schema. */
    static List<Object> values(ParamSpec spec, String text) throws ParamSpec.InvalidValue {
        List<Object> out = new ArrayList<>();
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return out;
        }
        String sep = spec.type() == ParamType.INT_LIST ? ";" : ",";
        for (String part : t.split(sep)) {
            String p = part.strip().replaceAll("^\\[|]$", "");
            Object raw = switch (spec.type()) {
                case INT_LIST -> parseList(p);
                case INT -> parseLong(p);
                case DOUBLE -> parseDouble(p);
                case BOOLEAN ->
                    p.equalsIgnoreCase("true") ? Boolean.TRUE : p.equalsIgnoreCase("false") ? Boolean.FALSE : null;
                default -> p;
            };
            if (raw == null) {
                throw new ParamSpec.InvalidValue(spec.name() + " '" + p + "' is not a "
                        + spec.type().jsonName().replace('_', ' '));
            }
            Object v = coerce(spec, raw);
            if (out.contains(v)) {
                throw new ParamSpec.InvalidValue(spec.name() + " '" + p + "' is given twice");
            }
            out.add(v);
        }
        return out;
    }

    /**
     * The search domain of a field's text: {@code {"values": [...]}}, {@code {"int": [lo, hi]}} or
     * {@code {"float": [lo, hi]}} (with {@code "log": true} for a log scale); null for empty text.
     */
    static Map<String, Object> domain(ParamSpec spec, String text) throws ParamSpec.InvalidValue {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return null;
        }
        int dots = t.indexOf("..");
        if (dots < 0) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("values", values(spec, t));
            return out;
        }
        if (spec.type() != ParamType.INT && spec.type() != ParamType.DOUBLE) {
            throw new ParamSpec.InvalidValue(
                    spec.name() + " is not a number: list its values instead of a range (lo..hi)");
        }
        String right = t.substring(dots + 2).strip();
        boolean log = false;
        String[] words = right.split("\\s+");
        if (words.length == 2 && words[1].equalsIgnoreCase("log")) {
            log = true;
            right = words[0];
        } else if (words.length != 1) {
            throw new ParamSpec.InvalidValue(spec.name() + " '" + t + "' is not a range: lo..hi, or lo..hi log");
        }
        Double lo = parseDouble(t.substring(0, dots).strip());
        Double hi = parseDouble(right);
        if (lo == null || hi == null || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new ParamSpec.InvalidValue(spec.name() + " '" + t + "' is not a range: lo..hi, or lo..hi log");
        }
        if (lo >= hi) {
            throw new ParamSpec.InvalidValue(spec.name() + " range " + t + " must go from low to high");
        }
        if (log && lo <= 0) {
            throw new ParamSpec.InvalidValue(spec.name() + " range " + t + " on a log scale must be above 0");
        }
        boolean whole = lo == Math.rint(lo) && hi == Math.rint(hi);
        if (spec.type() == ParamType.INT && !whole) {
            throw new ParamSpec.InvalidValue(spec.name() + " is a whole number: its range needs whole ends");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (spec.type() == ParamType.INT) {
            out.put("int", List.of(coerce(spec, lo.longValue()), coerce(spec, hi.longValue())));
        } else {
            out.put("float", List.of(coerce(spec, lo), coerce(spec, hi)));
        }
        if (log) {
            out.put("log", true);
        }
        return out;
    }

    /** The placeholder of a parameter's field; in a search, a range around a number's default, inside its bounds. */
    static String example(ParamSpec spec, boolean search) {
        if (search && spec.type() == ParamType.INT) {
            int d = spec.defaultValue() instanceof Number n ? n.intValue() : 1;
            int lo = Math.max(spec.min() == null ? 1 : spec.min().intValue(), d / 2);
            int hi = spec.max() == null ? d * 2 : Math.min(spec.max().intValue(), d * 2);
            if (lo < hi) {
                return "e.g. " + lo + ".." + hi;
            }
        }
        if (search && spec.type() == ParamType.DOUBLE) {
            double d = spec.defaultValue() instanceof Number n ? n.doubleValue() : 0;
            boolean log = d > 0;
            double lo = log ? d / 10 : spec.min() == null ? 0 : spec.min();
            double hi = log ? d * 10 : spec.max() == null ? 1 : spec.max();
            lo = spec.min() == null ? lo : Math.max(spec.min(), lo);
            hi = spec.max() == null ? hi : Math.min(spec.max(), hi);
            if (lo < hi && (!log || lo > 0)) {
                return "e.g. " + plain(lo) + ".." + plain(hi) + (log ? " log" : "");
            }
        }
        return switch (spec.type()) {
            case INT_LIST -> "e.g. 16,16; 32,32; 64,64";
            case CHOICE -> "e.g. " + String.join(", ", spec.choices());
            case BOOLEAN -> "true, false";
            case DOUBLE -> "e.g. 0.1, 0.5";
            default -> "e.g. 1, 2, 3";
        };
    }

    private static String plain(double d) {
        return new BigDecimal(d).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** The helper text of a parameter's field: its grammar. */
    static String help(ParamSpec spec, boolean search) {
        String empty = "; empty: the value on the left";
        boolean lists = spec.type() == ParamType.INT_LIST;
        if (!search) {
            return "values separated by " + (lists ? "';' (each a list: 32,64)" : "','") + empty;
        }
        if (spec.type() == ParamType.INT || spec.type() == ParamType.DOUBLE) {
            return "values a, b, or a range lo..hi [log]" + empty;
        }
        return "a choice: " + (lists ? "lists separated by ';' (each 32,64)" : "values separated by ','") + empty;
    }

    private static Object coerce(ParamSpec spec, Object raw) throws ParamSpec.InvalidValue {
        try {
            return spec.coerce(raw);
        } catch (ParamSpec.InvalidValue e) {
            throw new ParamSpec.InvalidValue(spec.name() + " " + e.getMessage());
        }
    }

    /** Whole numbers separated by ',' (brackets ignored), or null if it is not such a list or is empty. */
    static List<Integer> parseList(String text) {
        List<Integer> out = new ArrayList<>();
        for (String s : text.replaceAll("[\\[\\]]", "").split(",")) {
            if (s.isBlank()) {
                continue;
            }
            try {
                out.add(Integer.parseInt(s.strip()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static Long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double parseDouble(String s) {
        try {
            return Double.parseDouble(s.toLowerCase(Locale.ROOT));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
