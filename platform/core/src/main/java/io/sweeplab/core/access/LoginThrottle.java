package io.sweeplab.core.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows repeated failed sign-ins, per user name and per client address: after {@value #FREE_FAILURES} failures in a
 * row for a user name ({@value #FREE_FAILURES_PER_ADDRESS} for an address, which many users may share behind a
 * proxy) the key must wait 1 s before the next attempt, doubling with each further failure up to {@link #MAX_WAIT}.
 * Attempts during the wait are refused without checking the password. A success clears the user's count; a key
 * forgets its failures after {@link #FORGET} without one.
 */
public final class LoginThrottle {

    static final int FREE_FAILURES = 5;
    static final int FREE_FAILURES_PER_ADDRESS = 20;
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    static final Duration FORGET = Duration.ofHours(1);
    private static final int MAX_KEYS = 100_000;

    private record Failures(int count, Instant last, Instant blockedUntil) {}

    private final Clock clock;
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long the user name or the address must still wait, if either must. */
    public Optional<Duration> waitFor(String username, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (String key : keys(username, address)) {
            Failures f = failures.get(key);
            if (f != null && f.blockedUntil() != null && f.blockedUntil().isAfter(now)) {
                Duration d = Duration.between(now, f.blockedUntil());
                wait = d.compareTo(wait) > 0 ? d : wait;
            }
        }
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    public void failed(String username, String address) {
        Instant now = clock.instant();
        if (failures.size() > MAX_KEYS) {
            failures.entrySet().removeIf(e -> e.getValue().last().plus(FORGET).isBefore(now));
        }
        for (String key : keys(username, address)) {
            failures.compute(key, (k, f) -> {
                int count = f == null || f.last().plus(FORGET).isBefore(now) ? 1 : f.count() + 1;
                Instant until = null;
                int free = k.startsWith("user:") ? FREE_FAILURES : FREE_FAILURES_PER_ADDRESS;
                if (count >= free) {
                    long seconds = 1L << Math.min(20, count - free);
                    Duration wait = Duration.ofSeconds(seconds);
                    until = now.plus(wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait);
                }
                return new Failures(count, now, until);
            });
        }
    }

    public void succeeded(String username, String address) {
        failures.remove("user:" + username);
        failures.remove("address:" + address);
    }

    private static String[] keys(String username, String address) {
        return new String[] {"user:" + username, "address:" + address};
    }
}
