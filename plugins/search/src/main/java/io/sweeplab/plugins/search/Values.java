package io.sweeplab.plugins.search;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values compared as values: numbers by their value at any depth (16, 16L and 16.0 are one value; so are the
 * lists [16, 32] and [16.0, 32.0]), as they come back from the database in whatever type the decoder chose.
 */
final class Values {
    private Values() {}

    /** A value equal to another's canonical form exactly when the two are the same JSON value. */
    static Object canonical(Object v) {
        if (v instanceof Number n) {
            try {
                return new BigDecimal(n.toString()).stripTrailingZeros();
            } catch (NumberFormatException e) {
                return n.doubleValue(); // NaN or infinite
            }
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(canonical(o));
            }
            return out;
        }
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, o) -> out.put(k, canonical(o)));
            return out;
        }
        return v;
    }

    /** The index of the first of {@code values} that is the same value as {@code value}, or -1. */
    static int indexOf(List<Object> values, Object value) {
        Object c = canonical(value);
        for (int i = 0; i < values.size(); i++) {
            if (canonical(values.get(i)).equals(c)) {
                return i;
            }
        }
        return -1;
    }
}
