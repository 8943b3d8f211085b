package io.sweeplab.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.error.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GridTest {

    static Map<String, List<Object>> grid(Object... keyValues) {
        Map<String, List<Object>> g = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<Object> values = (List<Object>) keyValues[i + 1];
            g.put((String) keyValues[i], values);
        }
        return g;
    }

    @Test
    void expands_the_cartesian_product_last_key_fastest() {
        Map<String, Object> base = Map.of("architecture", "cnn", "params", Map.of("units", 64));
        List<Grid.Cell> cells = Grid.expand(
                base,
                grid(
                        "epochs",
                        List.of(5, 20),
                        "params.filters",
                        List.of(List.of(16, 16), List.of(32, 32), List.of(64, 64))));

        assertThat(cells).hasSize(6);
        assertThat(cells).extracting(c -> c.assignment().get("epochs")).containsExactly(5, 5, 5, 20, 20, 20);
        assertThat(cells.get(1).request())
                .isEqualTo(Map.of(
                        "architecture", "cnn", "epochs", 5, "params", Map.of("units", 64, "filters", List.of(32, 32))));
        // the base is not changed, and cells do not share mutable parts
        assertThat(base).isEqualTo(Map.of("architecture", "cnn", "params", Map.of("units", 64)));
    }

    @Test
    void sets_paths_into_lists_and_creates_missing_objects() {
        Map<String, Object> base =
                Map.of("callbacks", List.of(Map.of("id", "loss-threshold", "params", Map.of("threshold", 0.4))));
        List<Grid.Cell> cells = Grid.expand(
                base, grid("callbacks[0].params.threshold", List.of(0.4, 0.3), "data.trainLimit", List.of(100)));
        assertThat(cells.get(1).request())
                .isEqualTo(Map.of(
                        "callbacks", List.of(Map.of("id", "loss-threshold", "params", Map.of("threshold", 0.3))),
                        "data", Map.of("trainLimit", 100)));
        assertThat(Grid.expand(Map.of(), grid()))
                .singleElement()
                .satisfies(c -> assertThat(c.request()).isEmpty());
    }

    @Test
    void names_bad_keys_and_empty_axes() {
        assertThatThrownBy(() -> Grid.size(grid("params..filters", List.of(1), "epochs", List.of())))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .containsExactly(
                                        new FieldError(
                                                "grid.params..filters",
                                                "is not a path like epochs, params.filters or callbacks[0].params.threshold"),
                                        new FieldError("grid.epochs", "needs at least one value")));
        assertThatThrownBy(() -> Grid.expand(Map.of(), grid("callbacks[1].params.threshold", List.of(0.1))))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .containsExactly(new FieldError(
                                        "grid.callbacks[1].params.threshold", "the base has no callbacks[1]")));
        assertThat(Grid.size(grid("a", List.of(1, 2, 3), "b", List.of(1, 2), "c", List.of(1, 2, 3, 4))))
                .isEqualTo(24);
    }

    @Test
    void a_grid_too_large_for_a_long_saturates_instead_of_overflowing() {
        Map<String, List<Object>> huge = new LinkedHashMap<>();
        for (int i = 0; i < 70; i++) {
            huge.put("k" + i, List.of(1, 2));
        }
        assertThat(Grid.size(huge)).isEqualTo(Long.MAX_VALUE);
        huge.clear();
        for (int i = 0; i < 62; i++) {
            huge.put("k" + i, List.of(1, 2));
        }
        assertThat(Grid.size(huge)).isEqualTo(1L << 62);
    }
}
