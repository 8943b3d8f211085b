package io.sweeplab.plugin.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The ordered list of parameters an extension accepts, and the validation of values against it. */
public final class ParamSchema {

    private static final ParamSchema EMPTY = new ParamSchema(List.of());

    private final List<ParamSpec> specs;
    private final Map<String, ParamSpec> byName;

    private ParamSchema(List<ParamSpec> specs) {
        this.specs = List.copyOf(specs);
        Map<String, ParamSpec> map = new LinkedHashMap<>();
        for (ParamSpec spec : this.specs) {
            if (map.put(spec.name(), spec) != null) {
                throw new IllegalArgumentException("parameter '" + spec.name() + "' is declared twice");
            }
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    public static ParamSchema empty() {
        return EMPTY;
    }

    public static ParamSchema of(ParamSpec... specs) {
        return new ParamSchema(List.of(specs));
    }

    public static ParamSchema of(List<ParamSpec> specs) {
        return new ParamSchema(specs);
    }

    public List<ParamSpec> specs() {
        return specs;
    }

    public Optional<ParamSpec> spec(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * Validates raw values (as parsed from JSON) and completes them with defaults.
     *
     * @param raw the given values; null counts as none
     * @return the typed values, or every violation found (unknown names, wrong types, out of range, missing)
     */
    public Validation validate(Map<String, ?> raw) {
        Map<String, ?> given = raw == null ? Map.of() : raw;
        List<ParamViolation> violations = new ArrayList<>();
        for (String name : given.keySet()) {
            if (!byName.containsKey(name)) {
                violations.add(new ParamViolation(
                        String.valueOf(name),
                        byName.isEmpty()
                                ? "unknown parameter: this extension takes none"
                                : "unknown parameter; known: " + String.join(", ", byName.keySet())));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParamSpec spec : specs) {
            if (given.containsKey(spec.name())) {
                try {
                    values.put(spec.name(), spec.coerce(given.get(spec.name())));
                } catch (ParamSpec.InvalidValue e) {
                    violations.add(new ParamViolation(spec.name(), e.getMessage()));
                }
            } else if (spec.defaultValue() != null) {
                values.put(spec.name(), spec.defaultValue());
            } else {
                violations.add(new ParamViolation(spec.name(), "is required"));
            }
        }
        return violations.isEmpty()
                ? new Validation(new Params(values), List.of())
                : new Validation(null, List.copyOf(violations));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamSchema other && specs.equals(other.specs);
    }

    @Override
    public int hashCode() {
        return specs.hashCode();
    }

    @Override
    public String toString() {
        return "ParamSchema" + specs;
    }

    /**
     * The outcome of {@link #validate(Map)}: either {@code params} (and no violations) or the violations.
     *
     * @param params the typed, default-completed values; null when invalid
     * @param violations what is wrong; empty when valid
     */
    public record Validation(Params params, List<ParamViolation> violations) {
        public Validation {
            violations = List.copyOf(Objects.requireNonNull(violations));
        }

        public boolean valid() {
            return violations.isEmpty();
        }
    }
}
