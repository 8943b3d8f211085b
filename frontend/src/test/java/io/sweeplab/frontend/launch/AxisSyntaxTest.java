package io.sweeplab.frontend.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.plugin.api.ParamSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The grammar of the "values to sweep over" fields, for a grid and for a search. */
class AxisSyntaxTest {

    static final ParamSpec UNITS = ParamSpec.ofInt("units", 128, 1, 4096, "units");
    static final ParamSpec DROPOUT = ParamSpec.ofDouble("dropout", 0.0, 0.0, 0.9, "dropout");
    static final ParamSpec LEARNING_RATE = LaunchView.TRAINING.specs().stream()
            .filter(s -> s.name().equals("learningRate"))
            .findFirst()
            .orElseThrow();
    static final ParamSpec FILTERS = ParamSpec.ofIntList("filters", List.of(32), 1, 512, "filters");
    static final ParamSpec PADDING = ParamSpec.ofChoice("padding", "valid", List.of("valid", "same"), "padding");

    @Test
    void a_list_is_a_choice_of_its_values_coerced_by_the_schema() throws Exception {
        assertThat(AxisSyntax.domain(UNITS, "16, 32,64")).isEqualTo(Map.of("values", List.of(16, 32, 64)));
        assertThat(AxisSyntax.domain(FILTERS, "16,16; [32,32]"))
                .isEqualTo(Map.of("values", List.of(List.of(16, 16), List.of(32, 32))));
        assertThat(AxisSyntax.domain(PADDING, "same")).isEqualTo(Map.of("values", List.of("same")));
        assertThat(AxisSyntax.domain(UNITS, "  ")).isNull();
        assertThat(AxisSyntax.values(UNITS, "1, 2")).containsExactly(1, 2);
    }

    @Test
    void a_range_of_an_int_parameter_with_whole_ends_is_an_int_range() throws Exception {
        assertThat(AxisSyntax.domain(UNITS, "16..256")).isEqualTo(Map.of("int", List.of(16, 256)));
        assertThat(AxisSyntax.domain(UNITS, " 16 .. 256 log")).isEqualTo(Map.of("int", List.of(16, 256), "log", true));
    }

    @Test
    void a_range_of_a_decimal_parameter_is_a_float_range_even_with_whole_ends() throws Exception {
        assertThat(AxisSyntax.domain(LEARNING_RATE, "0.0001..0.01 log"))
                .isEqualTo(Map.of("float", List.of(0.0001, 0.01), "log", true));
        assertThat(AxisSyntax.domain(LEARNING_RATE, "1e-4..1E-2 LOG"))
                .isEqualTo(Map.of("float", List.of(0.0001, 0.01), "log", true));
        assertThat(AxisSyntax.domain(DROPOUT, "0..0.5")).isEqualTo(Map.of("float", List.of(0.0, 0.5)));
    }

    @Test
    void bad_ranges_say_what_is_wrong() {
        assertThatThrownBy(() -> AxisSyntax.domain(UNITS, "16..256.5"))
                .hasMessageContaining("units")
                .hasMessageContaining("whole");
        assertThatThrownBy(() -> AxisSyntax.domain(UNITS, "256..16")).hasMessageContaining("low to high");
        assertThatThrownBy(() -> AxisSyntax.domain(DROPOUT, "0..0.5 log")).hasMessageContaining("above 0");
        assertThatThrownBy(() -> AxisSyntax.domain(DROPOUT, "0.1..2"))
                .hasMessageContaining("dropout")
                .hasMessageContaining("0.9");
        assertThatThrownBy(() -> AxisSyntax.domain(UNITS, "16..x")).hasMessageContaining("lo..hi");
        assertThatThrownBy(() -> AxisSyntax.domain(UNITS, "16..64 linear")).hasMessageContaining("lo..hi log");
        assertThatThrownBy(() -> AxisSyntax.domain(PADDING, "a..b")).hasMessageContaining("list its values");
        assertThatThrownBy(() -> AxisSyntax.domain(FILTERS, "16..32")).hasMessageContaining("list its values");
        assertThatThrownBy(() -> AxisSyntax.domain(UNITS, "16, 16")).hasMessageContaining("twice");
    }

    @Test
    void the_helper_text_shows_the_grammar_of_the_mode() {
        assertThat(AxisSyntax.help(UNITS, false))
                .contains("values separated by ','")
                .doesNotContain("..");
        assertThat(AxisSyntax.help(UNITS, true)).contains("lo..hi [log]");
        assertThat(AxisSyntax.help(PADDING, true)).contains("a choice").doesNotContain("lo..hi");
        assertThat(AxisSyntax.help(FILTERS, true)).contains("a choice").contains("';'");
    }

    @Test
    void the_example_of_a_search_is_a_range_around_the_default_inside_the_bounds() {
        assertThat(AxisSyntax.example(UNITS, true)).isEqualTo("e.g. 64..256");
        assertThat(AxisSyntax.example(UNITS, false)).isEqualTo("e.g. 1, 2, 3");
        assertThat(AxisSyntax.example(ParamSpec.ofInt("layers", 4, 1, 5, "layers"), true))
                .isEqualTo("e.g. 2..5");
        assertThat(AxisSyntax.example(LEARNING_RATE, true)).isEqualTo("e.g. 0.0001..0.01 log");
        assertThat(AxisSyntax.example(DROPOUT, true)).isEqualTo("e.g. 0..0.9");
        assertThat(AxisSyntax.example(PADDING, true)).isEqualTo("e.g. valid, same");
    }
}
