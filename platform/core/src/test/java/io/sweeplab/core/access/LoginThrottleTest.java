package io.sweeplab.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** A clock the test moves by hand. */
    static final class Manual extends Clock {
        Instant now = Instant.parse("2026-11-28T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void five_failures_of_a_user_make_it_wait_and_each_further_one_doubles_the_wait() {
        Manual clock = new Manual();
        LoginThrottle t = new LoginThrottle(clock);
        for (int i = 0; i < 4; i++) {
            t.failed("ada", "10.0.0." + i);
            assertThat(t.waitFor("ada", "10.0.0.9")).isEmpty();
        }
        t.failed("ada", "10.0.0.5");
        assertThat(t.waitFor("ada", "10.0.0.9")).contains(Duration.ofSeconds(1));
        assertThat(t.waitFor("bob", "10.0.0.9"))
                .as("other users are not slowed")
                .isEmpty();
        clock.now = clock.now.plusSeconds(1);
        assertThat(t.waitFor("ada", "10.0.0.9")).isEmpty();
        t.failed("ada", "10.0.0.6");
        assertThat(t.waitFor("ada", "10.0.0.9")).contains(Duration.ofSeconds(2));
        for (int i = 0; i < 30; i++) {
            t.failed("ada", "10.0.1." + i);
        }
        assertThat(t.waitFor("ada", "10.0.0.9")).contains(LoginThrottle.MAX_WAIT);
    }

    @Test
    void an_address_trying_many_user_names_is_slowed_after_twenty_failures() {
        LoginThrottle t = new LoginThrottle(new Manual());
        for (int i = 0; i < 19; i++) {
            t.failed("user" + i, "203.0.113.7");
        }
        assertThat(t.waitFor("someone", "203.0.113.7")).isEmpty();
        t.failed("user19", "203.0.113.7");
        assertThat(t.waitFor("someone", "203.0.113.7")).contains(Duration.ofSeconds(1));
        assertThat(t.waitFor("someone", "198.51.100.1")).isEmpty();
    }

    @Test
    void a_success_clears_the_count_and_old_failures_are_forgotten() {
        Manual clock = new Manual();
        LoginThrottle t = new LoginThrottle(clock);
        for (int i = 0; i < 4; i++) {
            t.failed("ada", "10.0.0.1");
        }
        t.succeeded("ada", "10.0.0.1");
        t.failed("ada", "10.0.0.1");
        assertThat(t.waitFor("ada", "10.0.0.1")).isEmpty();
        for (int i = 0; i < 3; i++) {
            t.failed("ada", "10.0.0.1");
        }
        clock.now = clock.now.plus(LoginThrottle.FORGET).plusSeconds(1);
        t.failed("ada", "10.0.0.1");
        assertThat(t.waitFor("ada", "10.0.0.1")).as("the count started again").isEmpty();
    }
}
