package io.sweeplab.plugin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamSchemaTest {

    private final ParamSchema schema = ParamSchema.of(
            ParamSpec.ofInt("layers", 2, 0, 4, "blocks"),
            ParamSpec.ofDouble("rate", 0.001, 0, 1, "rate"),
            ParamSpec.ofBoolean("flag", true, "flag"),
            ParamSpec.ofChoice("padding", "valid", List.of("valid", "same"), "padding"),
            ParamSpec.ofIntList("filters", List.of(32, 32), 1, 1024, "filters"),
            new ParamSpec("name", ParamType.STRING, null, null, null, List.of(), "required text"));

    @Test
    void completes_defaults_and_canonicalises_types() {
        ParamSchema.Validation v = schema.validate(
                Map.of("name", "x", "layers", 3L, "rate", new BigDecimal("0.01"), "filters", List.of(16.0, 64)));
        assertThat(v.violations()).isEmpty();
        Params p = v.params();
        assertThat(p.getInt("layers")).isEqualTo(3);
        assertThat(p.getDouble("rate")).isEqualTo(0.01);
        assertThat(p.getBoolean("flag")).isTrue();
        assertThat(p.getString("padding")).isEqualTo("valid");
        assertThat(p.getIntList("filters")).containsExactly(16, 64);
        assertThat(p.asMap().keySet()).containsExactly("layers", "rate", "flag", "padding", "filters", "name");
    }

    @Test
    void reports_every_violation_with_the_parameter_name() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("layers", 2.5);
        raw.put("rate", 3);
        raw.put("flag", "yes");
        raw.put("padding", "full");
        raw.put("filters", List.of(32, 0));
        raw.put("colour", "red");
        ParamSchema.Validation v = schema.validate(raw);
        assertThat(v.valid()).isFalse();
        assertThat(v.params()).isNull();
        assertThat(v.violations())
                .containsExactlyInAnyOrder(
                        new ParamViolation(
                                "colour", "unknown parameter; known: layers, rate, flag, padding, filters, name"),
                        new ParamViolation("layers", "must be a whole number"),
                        new ParamViolation("rate", "must be between 0 and 1"),
                        new ParamViolation("flag", "must be true or false"),
                        new ParamViolation("padding", "must be one of [valid, same]"),
                        new ParamViolation("filters", "element 1 (0) must be between 1 and 1024"),
                        new ParamViolation("name", "is required"));
    }

    @Test
    void rejects_nulls_and_non_finite_numbers() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("name", null);
        raw.put("rate", Double.NaN);
        assertThat(schema.validate(raw).violations())
                .containsExactlyInAnyOrder(
                        new ParamViolation("name", "must not be null"),
                        new ParamViolation("rate", "must be a finite number"));
    }

    @Test
    void a_spec_with_a_default_outside_its_range_is_a_programming_error() {
        assertThatThrownBy(() -> ParamSpec.ofInt("units", 0, 1, 10, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("default of parameter 'units' (0) is invalid: must be between 1 and 10");
        assertThatThrownBy(
                        () -> ParamSchema.of(ParamSpec.ofBoolean("a", true, ""), ParamSpec.ofBoolean("a", false, "")))
                .hasMessage("parameter 'a' is declared twice");
    }
}
