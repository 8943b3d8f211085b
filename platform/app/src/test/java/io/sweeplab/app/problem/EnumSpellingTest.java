package io.sweeplab.app.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import io.sweeplab.core.access.Role;
import io.sweeplab.core.access.TokenScope;
import io.sweeplab.core.plugin.ExtensionType;
import io.sweeplab.core.plugin.PluginEntry;
import io.sweeplab.core.run.RunStatus;
import io.sweeplab.core.run.RunStore;
import io.sweeplab.plugin.api.ParamType;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every enumeration of the API is spelt in lower case, as the API document and the error messages give it: written
 * so, read so, and read in upper case too (workers of earlier releases send {@code SUCCEEDED}).
 */
class EnumSpellingTest {

    static final List<Class<? extends Enum<?>>> API_ENUMS = List.of(
            RunStatus.class,
            Role.class,
            TokenScope.class,
            ExtensionType.class,
            PluginEntry.Source.class,
            PluginEntry.Status.class,
            ParamType.class);

    final ObjectMapper json = mapper();

    static ObjectMapper mapper() {
        ObjectMapper m = new ObjectMapper();
        new StrictJson().customize(m);
        return m;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
    void each_constant_is_written_and_read_in_lower_case_and_read_in_upper_case(int which) throws Exception {
        Class<? extends Enum<?>> type = API_ENUMS.get(which);
        for (Enum<?> constant : type.getEnumConstants()) {
            String lower = constant.name().toLowerCase(Locale.ROOT);
            assertThat(json.writeValueAsString(constant)).isEqualTo("\"" + lower + "\"");
            assertThat(json.readValue("\"" + lower + "\"", type)).isSameAs(constant);
            assertThat(json.readValue("\"" + constant.name() + "\"", type)).isSameAs(constant);
        }
        assertThatThrownBy(() -> json.readValue("\"no-such-value\"", type))
                .isInstanceOfSatisfying(
                        InvalidFormatException.class,
                        e -> assertThat(JsonErrors.fieldError(e, "").message())
                                .startsWith("must be one of "
                                        + type.getEnumConstants()[0].name().toLowerCase(Locale.ROOT)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"succeeded", "SUCCEEDED"})
    void a_workers_outcome_takes_the_documented_status(String status) throws Exception {
        RunStore.Outcome o =
                json.readValue("{\"status\": \"" + status + "\", \"testAccuracy\": 0.5}", RunStore.Outcome.class);
        assertThat(o.status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lower", "upper", "title"})
    void roles_scopes_and_extension_types_given_as_text_are_read_in_any_case(String spelling) {
        assertThat(Role.parse(spell("viewer", spelling))).isEqualTo(Role.VIEWER);
        assertThat(TokenScope.parse(spell("read", spelling))).isEqualTo(TokenScope.READ);
        assertThat(ExtensionType.fromJsonName(spell("visualizer", spelling))).contains(ExtensionType.VISUALIZER);
        assertThat(Role.parse("admin")).isNull();
    }

    static String spell(String word, String spelling) {
        return switch (spelling) {
            case "upper" -> word.toUpperCase(Locale.ROOT);
            case "title" -> Character.toUpperCase(word.charAt(0)) + word.substring(1);
            default -> word;
        };
    }
}
