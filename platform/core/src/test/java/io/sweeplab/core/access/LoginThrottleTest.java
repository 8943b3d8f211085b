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
    void a_failure_counted_with_a_clock_reading_older_than_the_last_write_adds_exactly_one() {
        Instant t = Instant.parse("2026-11-28T12:00:00Z");
        LoginFailureStore.Failures written =
                new LoginFailureStore.Failures(3, t.plusMillis(5), null, t.plusSeconds(60));
        // another instance wrote 5 ms after this one read its clock: nothing is forgiven, and time does not go back
        LoginFailureStore.Failures next = LoginThrottle.counted(written, LoginThrottle.ADDRESS, t);
        assertThat(next.level()).isEqualTo(4.0);
        assertThat(next.last()).isEqualTo(t.plusMillis(5));
    }

    @Test
    void five_failures_of_a_user_from_one_address_make_it_wait_and_each_further_one_doubles_the_wait() {
        Manual clock = new Manual();
        LoginThrottle t = new LoginThrottle(new InMemoryLoginFailures(), clock);
        for (int i = 0; i < 4; i++) {
            t.failed("ada", "10.0.0.1");
            assertThat(t.waitFor("ada", "10.0.0.1")).isEmpty();
        }
        t.failed("ada", "10.0.0.1");
        assertThat(t.waitFor("ada", "10.0.0.1")).contains(Duration.ofSeconds(1));
        assertThat(t.waitFor("bob", "10.0.0.1"))
                .as("other users are not slowed")
                .isEmpty();
        assertThat(t.waitFor("ada", "10.0.0.2")).as("nor the user elsewhere").isEmpty();
        clock.now = clock.now.plusSeconds(1);
        assertThat(t.waitFor("ada", "10.0.0.1")).isEmpty();
        t.failed("ada", "10.0.0.1");
        assertThat(t.waitFor("ada", "10.0.0.1")).contains(Duration.ofSeconds(2));
        for (int i = 0; i < 30; i++) {
            t.failed("ada", "10.0.0.1");
        }
        assertThat(t.waitFor("ada", "10.0.0.1")).contains(LoginThrottle.MAX_WAIT);
    }

    @Test
    void one_bad_attempt_every_fifteen_minutes_never_locks_an_account() {
        Manual clock = new Manual();
        LoginThrottle t = new LoginThrottle(new InMemoryLoginFailures(), clock);
        for (int i = 0; i < 200; i++) { // 50 hours of it
            t.failed("ada", "203.0.113.7");
            assertThat(t.waitFor("ada", "198.51.100.1"))
                    .as("the owner, elsewhere")
                    .isEmpty();
            assertThat(t.waitFor("ada", "203.0.113.7"))
                    .as("even from the attacker's address")
                    .isEmpty();
            clock.now = clock.now.plus(Duration.ofMinutes(15));
        }
    }

    @Test
    void guessing_one_account_from_many_addresses_is_slowed_but_never_for_long() {
        Manual clock = new Manual();
        LoginThrottle t = new LoginThrottle(new InMemoryLoginFailures(), clock);
        for (int i = 0; i < LoginThrottle.FREE_FAILURES_PER_USER - 1; i++) {
            t.failed("ada", "10.1." + (i / 250) + "." + (i % 250));
        }
        assertThat(t.waitFor("ada", "10.1.0.0")).isEmpty();
        t.failed("ada", "10.2.0.1");
        assertThat(t.waitFor("ada", "10.2.0.1")).contains(Duration.ofSeconds(1));
        for (int i = 0; i < 40; i++) {
            t.failed("ada", "10.3.0." + i);
        }
        assertThat(t.waitFor("ada", "10.3.0.7")).contains(LoginThrottle.MAX_USER_WAIT);
    }

    @Test
    void an_address_trying_many_user_names_is_slowed_after_twenty_failures() {
        LoginThrottle t = new LoginThrottle(new InMemoryLoginFailures(), new Manual());
        for (int i = 0; i < 19; i++) {
            t.failed("user" + i, "203.0.113.7");
        }
        assertThat(t.waitFor("someone", "203.0.113.7")).isEmpty();
        t.failed("user19", "203.0.113.7");
        assertThat(t.waitFor("someone", "203.0.113.7")).contains(Duration.ofSeconds(1));
        assertThat(t.waitFor("someone", "198.51.100.1")).isEmpty();
    }

    @Test
    void a_spraying_address_cannot_clear_its_count_by_signing_in_to_an_account_of_its_own() {
        Manual clock = new Manual();
        LoginThrottle t = new LoginThrottle(new InMemoryLoginFailures(), clock);
        for (int i = 0; i < 19; i++) {
            t.failed("user" + i, "203.0.113.7");
            t.succeeded("mallory", "203.0.113.7");
        }
        t.failed("user19", "203.0.113.7");
        assertThat(t.waitFor("someone", "203.0.113.7")).contains(Duration.ofSeconds(1));
    }

    @Test
    void bearer_failures_are_counted_for_the_address_apart_from_sign_ins() {
        LoginThrottle t = new LoginThrottle(new InMemoryLoginFailures(), new Manual());
        for (int i = 0; i < LoginThrottle.FREE_FAILURES_PER_ADDRESS; i++) {
            t.failedBearer("203.0.113.8");
        }
        assertThat(t.waitForBearer("203.0.113.8")).contains(Duration.ofSeconds(1));
        assertThat(t.waitFor("anyone", "203.0.113.8")).as("sign-ins from there").isEmpty();
        assertThat(t.waitForBearer("203.0.113.9")).isEmpty();
    }

    @Test
    void the_owner_signing_in_from_elsewhere_is_not_slowed_by_failures_for_their_name_from_many_addresses() {
        Manual clock = new Manual();
        LoginThrottle t = new LoginThrottle(new InMemoryLoginFailures(), clock);
        for (int i = 0; i < 3 * LoginThrottle.FREE_FAILURES_PER_USER; i++) {
            t.failed("ada", "10.4." + (i / 4) + "." + (i % 4));
        }
        assertThat(t.waitFor("ada", "10.4.0.0")).as("an attacker's address").isPresent();
        assertThat(t.waitFor("ada", "198.51.100.1")).as("the owner's").isEmpty();
    }

    @Test
    void a_success_clears_the_users_count_and_old_failures_are_forgiven() {
        Manual clock = new Manual();
        LoginThrottle t = new LoginThrottle(new InMemoryLoginFailures(), clock);
        for (int i = 0; i < 4; i++) {
            t.failed("ada", "10.0.0.1");
        }
        t.succeeded("ada", "10.0.0.1");
        t.failed("ada", "10.0.0.1");
        assertThat(t.waitFor("ada", "10.0.0.1")).isEmpty();
        for (int i = 0; i < 3; i++) {
            t.failed("ada", "10.0.0.1");
        }
        clock.now = clock.now.plus(Duration.ofHours(1));
        t.failed("ada", "10.0.0.1");
        assertThat(t.waitFor("ada", "10.0.0.1")).as("the count leaked away").isEmpty();
    }

    @Test
    void counts_are_pruned_once_forgiven_and_their_wait_is_over_but_not_before() {
        Manual clock = new Manual();
        InMemoryLoginFailures store = new InMemoryLoginFailures();
        LoginThrottle t = new LoginThrottle(store, clock);
        for (int i = 0; i < 40; i++) {
            t.failed("ada", "10.0.0.1"); // the pair waits its longest, 15 minutes, and forgives one per 10 minutes
        }
        t.failed("bob", "10.0.0.2");
        assertThat(store.rows).hasSize(6);
        clock.now = clock.now.plus(Duration.ofMinutes(20)); // bob's three counts are forgiven, ada's are not
        t.failed("carol", "10.0.0.3");
        assertThat(store.rows.keySet())
                .as("bob's counts are gone, ada's pair and address are kept")
                .doesNotContain("pair:bob@10.0.0.2", "address:10.0.0.2", "user:bob")
                .contains("pair:ada@10.0.0.1", "address:10.0.0.1");
        t.failed("ada", "10.0.0.1");
        assertThat(t.waitFor("ada", "10.0.0.1"))
                .as("the kept counts still count: one more failure waits at once")
                .isPresent();
        clock.now = clock.now.plus(Duration.ofHours(8));
        t.failed("carol", "10.0.0.3");
        assertThat(store.rows.keySet())
                .as("at last only carol's fresh counts")
                .containsOnly("pair:carol@10.0.0.3", "address:10.0.0.3", "user:carol");
    }
}
