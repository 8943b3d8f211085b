package io.sweeplab.app.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A worker token from configuration must be long enough that guessing it is hopeless; the platform says so. */
class ConfiguredWorkerTokenTest {

    @Test
    void a_short_configured_worker_token_stops_the_platform_with_the_reason() {
        assertThatThrownBy(() -> new IdentityProviders.Token(null, Optional.of("secret")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SWL-AUTH-003")
                .hasMessageContaining("at least 32");
    }

    @Test
    void a_long_one_or_none_is_fine() {
        assertThatCode(() -> new IdentityProviders.Token(null, Optional.of("a".repeat(32))))
                .doesNotThrowAnyException();
        assertThatCode(() -> new IdentityProviders.Token(null, Optional.empty()))
                .doesNotThrowAnyException();
    }
}
