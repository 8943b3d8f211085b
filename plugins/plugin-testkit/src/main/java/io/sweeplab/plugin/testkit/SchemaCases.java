package io.sweeplab.plugin.testkit;

import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.ParamType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parameter values a contract checks an extension with: the defaults, then each numeric bound in turn. */
final class SchemaCases {

    /** @param name how the report names it, for example {@code filters at its maximum 1024} */
    record Case(String name, Map<String, Object> values) {}

    private SchemaCases() {}

    static List<Case> of(ParamSchema schema, Map<String, Object> required) {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("the defaults", Map.copyOf(required)));
        for (ParamSpec spec : schema.specs()) {
            boolean numeric = spec.type() == ParamType.INT
                    || spec.type() == ParamType.DOUBLE
                    || spec.type() == ParamType.INT_LIST;
            if (!numeric) {
                continue;
            }
            addBound(cases, spec, required, "minimum", spec.min());
            addBound(cases, spec, required, "maximum", spec.max());
        }
        return cases;
    }

    private static void addBound(
            List<Case> cases, ParamSpec spec, Map<String, Object> required, String which, Double bound) {
        if (bound == null) {
            return;
        }
        Object value = switch (spec.type()) {
            case INT -> (int) bound.doubleValue();
            case DOUBLE -> bound;
            default -> {
                Object given = required.containsKey(spec.name()) ? required.get(spec.name()) : spec.defaultValue();
                int n = given instanceof List<?> list && !list.isEmpty() ? list.size() : 1;
                yield Collections.nCopies(n, (int) bound.doubleValue());
            }
        };
        Map<String, Object> values = new LinkedHashMap<>(required);
        values.put(spec.name(), value);
        cases.add(new Case(spec.name() + " at its " + which + " " + value, values));
    }
}
