package io.sweeplab.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.core.error.FieldError;
import io.sweeplab.plugin.api.SearchSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchSpacesTest {

    @Test
    void each_kind_of_domain_is_read_with_its_scale() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("params.filters", Map.of("values", List.of(List.of(16, 16), List.of(32, 32))));
        json.put("params.units", Map.of("int", List.of(16, 256), "log", true));
        json.put("learningRate", Map.of("float", List.of(0.0001, 0.01), "log", true));
        json.put("callbacks[0].params.threshold", Map.of("float", List.of(0.1, 0.5)));
        List<FieldError> errors = new ArrayList<>();
        SearchSpace space = SearchSpaces.parse(json, "space", errors);
        assertThat(errors).isEmpty();
        assertThat(space.paths())
                .containsExactly("params.filters", "params.units", "learningRate", "callbacks[0].params.threshold");
        assertThat(space.dimensions().get("params.filters"))
                .isEqualTo(new SearchSpace.Choice(List.of(List.of(16, 16), List.of(32, 32))));
        assertThat(space.dimensions().get("params.units")).isEqualTo(new SearchSpace.IntRange(16, 256, true));
        assertThat(space.dimensions().get("learningRate")).isEqualTo(new SearchSpace.FloatRange(0.0001, 0.01, true));
        assertThat(space.dimensions().get("callbacks[0].params.threshold"))
                .isEqualTo(new SearchSpace.FloatRange(0.1, 0.5, false));
    }

    @Test
    void a_bad_domain_is_named_by_its_path_and_the_others_still_read() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("epochs", Map.of("int", List.of(1.5, 3)));
        json.put("learningRate", Map.of("float", List.of(0.0, 1.0), "log", true));
        json.put("seed", Map.of("values", List.of()));
        json.put("batchSize", Map.of("int", List.of(8, 64), "float", List.of(1, 2)));
        json.put("params.units", List.of(1, 2));
        json.put("bad path", Map.of("values", List.of(1)));
        json.put("params.kernel", Map.of("values", List.of(3, 5)));
        List<FieldError> errors = new ArrayList<>();
        SearchSpace space = SearchSpaces.parse(json, "space", errors);
        assertThat(errors)
                .extracting(FieldError::field)
                .containsExactly(
                        "space.epochs",
                        "space.learningRate",
                        "space.seed",
                        "space.batchSize",
                        "space.params.units",
                        "space.bad path");
        assertThat(errors.get(0).message()).contains("whole numbers");
        assertThat(errors.get(1).message()).contains("log range needs low > 0");
        assertThat(space.paths()).containsExactly("params.kernel");
    }

    @Test
    void a_proposal_outside_its_domain_or_the_space_is_refused_and_numbers_get_their_domain_type() {
        SearchSpace space = new SearchSpace(Map.of(
                "params.units", new SearchSpace.IntRange(8, 64, false),
                "learningRate", new SearchSpace.FloatRange(0.001, 0.01, false)));
        assertThat(SearchSpaces.check(space, Map.of("params.units", 16L, "learningRate", 0.005), "s"))
                .containsEntry("params.units", 16)
                .containsEntry("learningRate", 0.005);
        assertThatThrownBy(() -> SearchSpaces.check(space, Map.of("params.units", 65, "learningRate", 0.005), "s"))
                .hasMessageContaining("params.units = 65, outside its domain");
        assertThatThrownBy(() -> SearchSpaces.check(space, Map.of("params.units", 8.5, "learningRate", 0.005), "s"))
                .hasMessageContaining("outside its domain");
        assertThatThrownBy(() -> SearchSpaces.check(space, Map.of("learningRate", 0.005), "s"))
                .hasMessageContaining("params.units = null");
        assertThatThrownBy(() ->
                        SearchSpaces.check(space, Map.of("params.units", 8, "learningRate", 0.005, "epochs", 2), "s"))
                .hasMessageContaining("epochs, which is not in the space");
    }
}
