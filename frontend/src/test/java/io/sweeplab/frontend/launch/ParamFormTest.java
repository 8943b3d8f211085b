package io.sweeplab.frontend.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.ParamType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The launch form generated from a parameter schema, without a browser. */
class ParamFormTest {

    static final ParamSchema CNN = ParamSchema.of(
            ParamSpec.ofInt("convLayers", 2, 0, 4, "convolution + pooling blocks"),
            ParamSpec.ofIntList("filters", List.of(32, 32), 1, 512, "filters of each convolution"),
            ParamSpec.ofChoice("padding", "valid", List.of("valid", "same"), "convolution padding"),
            ParamSpec.ofDouble("dropout", 0.0, 0.0, 0.9, "dropout before the last layer"));

    static <T> T field(ParamForm form, String id, Class<T> type) {
        return form.getChildren()
                .filter(c -> c.getId().orElse("").equals(id))
                .map(type::cast)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void defaults_make_one_run_with_the_schemas_values() {
        ParamForm form = new ParamForm(CNN, "params");
        assertThat(form.values())
                .contains(Map.of("convLayers", 2, "filters", List.of(32, 32), "padding", "valid", "dropout", 0.0));
        assertThat(form.axes()).contains(Map.of());
        assertThat(form.runs()).isEqualTo(1);
    }

    @Test
    void axes_multiply_into_runs_and_become_grid_paths() {
        ParamForm form = new ParamForm(CNN, "params");
        field(form, "param-params-filters-axis", TextField.class).setValue("16,16; 32,32; [64,64]");
        field(form, "param-params-convLayers-axis", TextField.class).setValue("1, 2");
        assertThat(form.runs()).isEqualTo(6);
        assertThat(form.axes().orElseThrow())
                .containsEntry("params.filters", List.of(List.of(16, 16), List.of(32, 32), List.of(64, 64)))
                .containsEntry("params.convLayers", List.of(1, 2));
    }

    @Test
    void a_bad_value_is_marked_at_its_field_and_nothing_is_built() {
        ParamForm form = new ParamForm(CNN, "params");
        TextField filters = field(form, "param-params-filters-axis", TextField.class);
        filters.setValue("16,16; 0,32");
        assertThat(form.axes()).isEmpty();
        assertThat(form.runs()).isZero();
        assertThat(filters.isInvalid()).isTrue();
        assertThat(filters.getErrorMessage()).contains("filters").contains("element 0");

        IntegerField layers = field(form, "param-params-convLayers", IntegerField.class);
        layers.setValue(9);
        assertThat(form.values()).isEmpty();
        assertThat(layers.isInvalid()).isTrue();
        assertThat(layers.getErrorMessage()).contains("4");

        TextField padding = field(form, "param-params-padding-axis", TextField.class);
        padding.setValue("valid, full");
        assertThat(form.axes()).isEmpty();
        assertThat(padding.getErrorMessage()).contains("valid", "same");
    }

    @Test
    void server_errors_land_on_the_field_they_name() {
        ParamForm form = new ParamForm(CNN, "callbacks[0].params");
        assertThat(form.mark("grid.callbacks[0].params.convLayers", "too many")).isTrue();
        assertThat(field(form, "param-callbacks-0-params-convLayers-axis", TextField.class)
                        .isInvalid())
                .isTrue();
        assertThat(form.mark("base.params.convLayers", "not ours")).isFalse();
    }

    @Test
    void a_required_parameter_starts_empty_and_must_be_given() {
        // a null default makes a parameter required (ParamSpec)
        ParamSchema required = ParamSchema.of(
                new ParamSpec("units", ParamType.INT, null, 1.0, 4096.0, List.of(), "hidden units"),
                new ParamSpec("rate", ParamType.DOUBLE, null, 0.0, 1.0, List.of(), "learning rate"),
                new ParamSpec("mode", ParamType.CHOICE, null, null, null, List.of("a", "b"), "mode"));
        ParamForm form = new ParamForm(required, "params");
        IntegerField units = field(form, "param-params-units", IntegerField.class);
        NumberField rate = field(form, "param-params-rate", NumberField.class);
        @SuppressWarnings("unchecked")
        Select<String> mode = field(form, "param-params-mode", Select.class);
        assertThat(units.isEmpty()).isTrue();
        assertThat(units.isRequiredIndicatorVisible()).isTrue();
        assertThat(rate.isEmpty()).isTrue();
        assertThat(mode.isEmpty()).isTrue();

        assertThat(form.values()).isEmpty();
        assertThat(units.isInvalid()).isTrue();
        assertThat(units.getErrorMessage()).isEqualTo("a value is required");
        assertThat(rate.getErrorMessage()).isEqualTo("a value is required");

        units.setValue(128);
        rate.setValue(0.001);
        mode.setValue("b");
        assertThat(form.values()).contains(Map.of("units", 128, "rate", 0.001, "mode", "b"));
        assertThat(units.isInvalid()).isFalse();
    }

    @Test
    void a_moved_prefix_changes_grid_paths_and_marks_but_keeps_ids() {
        ParamForm form = new ParamForm(CNN, "visualizers[1].params", "visualizer-x-params");
        TextField layers = field(form, "param-visualizer-x-params-convLayers-axis", TextField.class);
        layers.setValue("1, 2");
        assertThat(form.axes()).contains(Map.of("visualizers[1].params.convLayers", List.of(1, 2)));

        form.prefix("visualizers[0].params");
        assertThat(form.axes()).contains(Map.of("visualizers[0].params.convLayers", List.of(1, 2)));
        assertThat(form.mark("base.visualizers[1].params.convLayers", "not ours any more"))
                .isFalse();
        assertThat(form.mark("base.visualizers[0].params.convLayers", "too many"))
                .isTrue();
        assertThat(field(form, "param-visualizer-x-params-convLayers", IntegerField.class)
                        .isInvalid())
                .isTrue();
    }

    @Test
    void fill_shows_given_values_and_keeps_the_others() {
        ParamForm form = new ParamForm(CNN, "params");
        form.fill(Map.of("filters", List.of(8, 16), "padding", "same", "dropout", 0.5));
        assertThat(form.values())
                .contains(Map.of("convLayers", 2, "filters", List.of(8, 16), "padding", "same", "dropout", 0.5));
    }

    @Test
    void in_search_mode_the_fields_become_a_space_of_choices_and_ranges() {
        ParamForm form = new ParamForm(CNN, "params");
        TextField layers = field(form, "param-params-convLayers-axis", TextField.class);
        assertThat(layers.getHelperText()).doesNotContain("..");
        form.search(true);
        assertThat(layers.getHelperText()).contains("lo..hi");
        assertThat(layers.getPlaceholder()).isEqualTo("e.g. 1..4");
        layers.setValue("1..4");
        field(form, "param-params-filters-axis", TextField.class).setValue("16,16; 32,32");
        field(form, "param-params-dropout-axis", TextField.class).setValue("0.1..0.5");
        assertThat(form.space())
                .contains(Map.of(
                        "params.convLayers", Map.of("int", List.of(1, 4)),
                        "params.filters", Map.of("values", List.of(List.of(16, 16), List.of(32, 32))),
                        "params.dropout", Map.of("float", List.of(0.1, 0.5))));

        // a range is no grid: back in grid mode the same text is marked
        form.search(false);
        assertThat(layers.isInvalid()).isTrue();
        assertThat(form.axes()).isEmpty();
    }

    @Test
    void in_search_mode_bad_syntax_and_server_errors_are_marked_at_the_field() {
        ParamForm form = new ParamForm(CNN, "params");
        form.search(true);
        TextField layers = field(form, "param-params-convLayers-axis", TextField.class);
        layers.setValue("1..9");
        assertThat(layers.isInvalid()).isTrue();
        assertThat(layers.getErrorMessage()).contains("convLayers").contains("4");
        assertThat(form.space()).isEmpty();
        layers.setValue("1..3");
        assertThat(layers.isInvalid()).isFalse();

        assertThat(form.mark("space.params.filters", "in trial {...}: too many filters"))
                .isTrue();
        TextField filters = field(form, "param-params-filters-axis", TextField.class);
        assertThat(filters.isInvalid()).isTrue();
        assertThat(filters.getErrorMessage()).contains("too many filters");
    }

    @Test
    void a_form_without_prefix_puts_its_parameters_at_the_top_level_of_the_request() {
        ParamForm form = new ParamForm(LaunchView.TRAINING, "", "training");
        assertThat(form.values()).contains(Map.of("epochs", 5, "learningRate", 0.001, "batchSize", 32));
        form.search(true);
        field(form, "param-training-learningRate-axis", TextField.class).setValue("0.0001..0.01 log");
        field(form, "param-training-epochs-axis", TextField.class).setValue("1, 2");
        assertThat(form.space())
                .contains(Map.of(
                        "epochs", Map.of("values", List.of(1, 2)),
                        "learningRate", Map.of("float", List.of(0.0001, 0.01), "log", true)));
        assertThat(form.mark("space.learningRate", "too high")).isTrue();
        assertThat(form.mark("base.epochs", "too many")).isTrue();
        assertThat(field(form, "param-training-epochs", IntegerField.class).isInvalid())
                .isTrue();
    }

    @Test
    void a_form_of_values_only_has_no_fields_to_sweep_over() {
        ParamForm form = ParamForm.valuesOnly(CNN, "strategy.params");
        assertThat(form.getChildren().filter(c -> c.getId().orElse("").endsWith("-axis")))
                .isEmpty();
        assertThat(form.axes()).contains(Map.of());
        assertThat(form.space()).contains(Map.of());
        assertThat(form.mark("strategy.params.convLayers", "too many")).isTrue();
        assertThat(field(form, "param-strategy-params-convLayers", IntegerField.class)
                        .getErrorMessage())
                .isEqualTo("too many");
    }
}
