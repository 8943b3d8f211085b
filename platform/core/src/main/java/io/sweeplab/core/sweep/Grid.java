package io.sweeplab.core.sweep;

import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.error.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cartesian product of a sweep's grid over its base run request. Grid keys are paths into the request:
 * {@code epochs}, {@code params.filters}, {@code data.trainLimit}, {@code callbacks} (a whole list),
 * {@code callbacks[0].params.threshold}. Cells come out in order, the last key varying fastest.
 */
public final class Grid {

    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z][A-Za-z0-9_]*)(?:\\[(\\d{1,4})])?");

    private Grid() {}

    /**
     * One cell: the grid values it takes and the complete request.
     *
     * @param assignment grid key to value, in grid order
     * @param request the base with the values set
     */
    public record Cell(Map<String, Object> assignment, Map<String, Object> request) {}

    /**
     * The number of cells, without expanding; checks the keys and value lists.
     *
     * @return the number, or {@link Long#MAX_VALUE} when it is that large or larger (it is then far above any
     *     limit; 64 axes of two values are already more than a long holds)
     */
    public static long size(Map<String, List<Object>> grid) {
        List<FieldError> errors = new ArrayList<>();
        long size = 1;
        for (Map.Entry<String, List<Object>> axis : grid.entrySet()) {
            String field = "grid." + axis.getKey();
            try {
                parse(axis.getKey());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(field, e.getMessage()));
            }
            if (axis.getValue() == null || axis.getValue().isEmpty()) {
                errors.add(new FieldError(field, "needs at least one value"));
            } else {
                int n = axis.getValue().size();
                size = size > Long.MAX_VALUE / n ? Long.MAX_VALUE : size * n;
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return size;
    }

    public static List<Cell> expand(Map<String, Object> base, Map<String, List<Object>> grid) {
        size(grid);
        List<Cell> cells = new ArrayList<>();
        List<String> keys = new ArrayList<>(grid.keySet());
        int[] index = new int[keys.size()];
        while (true) {
            Map<String, Object> assignment = new LinkedHashMap<>();
            Map<String, Object> request = deepCopy(base);
            for (int k = 0; k < keys.size(); k++) {
                Object value = grid.get(keys.get(k)).get(index[k]);
                assignment.put(keys.get(k), value);
                set(request, keys.get(k), deepCopyValue(value), "grid");
            }
            cells.add(new Cell(assignment, request));
            int k = keys.size() - 1;
            while (k >= 0 && ++index[k] == grid.get(keys.get(k)).size()) {
                index[k] = 0;
                k--;
            }
            if (k < 0) {
                return cells;
            }
        }
    }

    /**
     * The base with each path of the assignment set to its value, as a cell's request.
     *
     * @param field the prefix of the field an error names, {@code grid} or {@code space}
     * @throws InvalidInputException naming {@code <field>.<path>} when a path goes nowhere in the base
     */
    public static Map<String, Object> apply(Map<String, Object> base, Map<String, Object> assignment, String field) {
        Map<String, Object> request = deepCopy(base);
        assignment.forEach((path, value) -> set(request, path, deepCopyValue(value), field));
        return request;
    }

    /** Checks a path: a message saying what a path looks like, or null when it is one. */
    public static String pathError(String path) {
        try {
            parse(path);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private record Segment(String name, Integer index) {}

    private static List<Segment> parse(String path) {
        List<Segment> out = new ArrayList<>();
        for (String part : path.split("\\.", -1)) {
            Matcher m = SEGMENT.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "is not a path like epochs, params.filters or" + " callbacks[0].params.threshold");
            }
            out.add(new Segment(m.group(1), m.group(2) == null ? null : Integer.valueOf(m.group(2))));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void set(Map<String, Object> request, String path, Object value, String field) {
        List<Segment> segments = parse(path);
        Object node = request;
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            boolean last = i == segments.size() - 1;
            if (!(node instanceof Map)) {
                throw new InvalidInputException(field + "." + path, "goes through a value that is not an object");
            }
            Map<String, Object> map = (Map<String, Object>) node;
            if (s.index() == null) {
                if (last) {
                    map.put(s.name(), value);
                    return;
                }
                node = map.computeIfAbsent(s.name(), k -> new LinkedHashMap<>());
                continue;
            }
            Object list = map.get(s.name());
            if (!(list instanceof List) || ((List<Object>) list).size() <= s.index()) {
                throw new InvalidInputException(
                        field + "." + path, "the base has no " + s.name() + "[" + s.index() + "]");
            }
            if (last) {
                ((List<Object>) list).set(s.index(), value);
                return;
            }
            node = ((List<Object>) list).get(s.index());
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> deepCopy(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (map != null) {
            map.forEach((k, v) -> out.put(k, deepCopyValue(v)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object deepCopyValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return deepCopy((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            for (Object o : l) {
                copy.add(deepCopyValue(o));
            }
            return copy;
        }
        return v;
    }
}
