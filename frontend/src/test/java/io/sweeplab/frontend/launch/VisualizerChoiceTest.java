package io.sweeplab.frontend.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import io.sweeplab.core.plugin.ExtensionType;
import io.sweeplab.core.plugin.PluginEntry;
import io.sweeplab.plugin.api.Extension;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The launch page's choice of visualizers, without a browser. */
class VisualizerChoiceTest {

    static final PluginEntry ACTIVATIONS = visualizer(
            "activations",
            ParamSchema.of(ParamSpec.ofIntList("images", List.of(0, 23, 28), 0, 1_000_000, "test images")));
    static final PluginEntry MISCLASSIFIED =
            visualizer("misclassified", ParamSchema.of(ParamSpec.ofInt("first", 16, 1, 100, "how many")));

    static PluginEntry visualizer(String id, ParamSchema params) {
        return entry(ExtensionType.VISUALIZER, id, params);
    }

    /** A loaded built-in extension of this type, labelled by its id. */
    static PluginEntry entry(ExtensionType type, String id, ParamSchema params) {
        Extension ext = new Extension() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String label() {
                return id;
            }

            @Override
            public String version() {
                return "1.0.0";
            }

            @Override
            public ParamSchema params() {
                return params;
            }
        };
        return new PluginEntry(
                id,
                type,
                "1.0.0",
                "Label of " + id,
                "draws " + id,
                params,
                "builtin",
                "classpath",
                PluginEntry.Source.BUILTIN,
                PluginEntry.Status.LOADED,
                "",
                ext,
                "",
                "");
    }

    static <T> T field(Component root, String id, Class<T> type) {
        return descendants(root)
                .filter(c -> c.getId().orElse("").equals(id))
                .map(type::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no component " + id));
    }

    static Stream<Component> descendants(Component c) {
        return Stream.concat(Stream.of(c), c.getChildren().flatMap(VisualizerChoiceTest::descendants));
    }

    static VisualizerChoice both() {
        return new VisualizerChoice(List.of(ACTIVATIONS, MISCLASSIFIED), LaunchView.DEFAULT_VISUALIZERS);
    }

    @Test
    void by_default_only_activations_is_checked_with_its_default_params() {
        VisualizerChoice choice = both();
        assertThat(field(choice, "launch-visualizer-activations", Checkbox.class)
                        .getValue())
                .isTrue();
        assertThat(field(choice, "launch-visualizer-misclassified", Checkbox.class)
                        .getValue())
                .isFalse();
        assertThat(field(choice, "launch-visualizer-activations-params", Component.class)
                        .isVisible())
                .isTrue();
        assertThat(field(choice, "launch-visualizer-misclassified-params", Component.class)
                        .isVisible())
                .isFalse();
        assertThat(choice.values())
                .contains(List.of(Map.of("id", "activations", "params", Map.of("images", List.of(0, 23, 28)))));
        assertThat(choice.axes()).contains(Map.of());
        assertThat(choice.runs()).isEqualTo(1);
    }

    @Test
    void defaults_that_are_not_loaded_are_ignored() {
        VisualizerChoice choice = new VisualizerChoice(List.of(MISCLASSIFIED), LaunchView.DEFAULT_VISUALIZERS);
        assertThat(choice.values()).contains(List.of());
        assertThat(new VisualizerChoice(List.of(), LaunchView.DEFAULT_VISUALIZERS).values())
                .contains(List.of());
    }

    @Test
    void several_can_be_checked_each_at_its_place_among_the_checked_ones() {
        VisualizerChoice choice = both();
        field(choice, "launch-visualizer-misclassified", Checkbox.class).setValue(true);
        field(choice, "param-visualizer-misclassified-params-first-axis", TextField.class)
                .setValue("4, 8, 12");
        field(choice, "param-visualizer-activations-params-images-axis", TextField.class)
                .setValue("0; 1,2");
        assertThat(choice.values().orElseThrow())
                .extracting(v -> v.get("id"))
                .containsExactly("activations", "misclassified");
        assertThat(choice.axes().orElseThrow())
                .containsOnlyKeys("visualizers[0].params.images", "visualizers[1].params.first")
                .containsEntry("visualizers[1].params.first", List.of(4, 8, 12));
        assertThat(choice.runs()).isEqualTo(6);

        // the first unchecked: the second moves to its place, and its axis with it
        field(choice, "launch-visualizer-activations", Checkbox.class).setValue(false);
        assertThat(choice.values()).contains(List.of(Map.of("id", "misclassified", "params", Map.of("first", 16))));
        assertThat(choice.axes()).contains(Map.of("visualizers[0].params.first", List.of(4, 8, 12)));
        assertThat(choice.runs()).isEqualTo(3);
    }

    @Test
    void unchecking_all_sends_an_empty_list_and_ignores_their_bad_fields() {
        VisualizerChoice choice = both();
        field(choice, "param-visualizer-activations-params-images-axis", TextField.class)
                .setValue("x");
        assertThat(choice.runs()).isZero();
        assertThat(choice.axes()).isEmpty();

        field(choice, "launch-visualizer-activations", Checkbox.class).setValue(false);
        assertThat(choice.values()).contains(List.of());
        assertThat(choice.axes()).contains(Map.of());
        assertThat(choice.runs()).isEqualTo(1);
    }

    @Test
    void server_errors_land_on_the_field_of_the_visualizer_they_name() {
        VisualizerChoice choice = both();
        field(choice, "launch-visualizer-misclassified", Checkbox.class).setValue(true);
        assertThat(choice.mark("base.visualizers[1].params.first", "too many")).isTrue();
        IntegerField first = field(choice, "param-visualizer-misclassified-params-first", IntegerField.class);
        assertThat(first.isInvalid()).isTrue();
        assertThat(first.getErrorMessage()).isEqualTo("too many");

        assertThat(choice.mark("grid.visualizers[0].params.images", "in cell {}: bad image"))
                .isTrue();
        assertThat(field(choice, "param-visualizer-activations-params-images-axis", TextField.class)
                        .isInvalid())
                .isTrue();
        assertThat(choice.mark("base.visualizers[2].params.first", "not ours")).isFalse();
        assertThat(choice.mark("base.params.first", "not ours")).isFalse();
    }

    @Test
    void a_lab_exercise_may_name_its_own_visualizers_and_their_values() {
        VisualizerChoice choice = both();
        choice.use(List.of(Map.of("id", "misclassified", "params", Map.of("first", 5))));
        assertThat(choice.values()).contains(List.of(Map.of("id", "misclassified", "params", Map.of("first", 5))));
    }
}
