package io.sweeplab.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionRangeTest {

    @ParameterizedTest
    @CsvSource({
        "'[1,2)', 1.0, true",
        "'[1,2)', 1.9.9, true",
        "'[1,2)', 2.0, false",
        "'[1,2)', 0.9, false",
        "'(1,2]', 1, false",
        "'(1,2]', 2, true",
        "'[1.1,)', 1.0, false",
        "'[1.1,)', 7, true",
        "'(,1.0]', 0.5, true",
        "'[1.0]', 1, true",
        "'[1.0]', 1.0.1, false",
        "1.0, 1.0, true",
        "1.2, 1.0, false"
    })
    void contains(String range, String version, boolean expected) {
        assertThat(VersionRange.parse(range).contains(Version.parse(version))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[1,2", "1,2)", "[2,1)", "[a,b)", "[1,2,3)", "(1.0)"})
    void rejects_malformed_ranges(String range) {
        assertThatThrownBy(() -> VersionRange.parse(range)).isInstanceOf(IllegalArgumentException.class);
    }
}
