package io.sweeplab.core.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows repeated failed sign-ins. Failures are counted under three keys, each a leaky bucket (a failure is forgiven
 * every {@link Rule#leak}), and past its free failures a key waits 1 s before the next attempt, doubling with each
 * further failure up to its longest wait:
 *
 * <ul>
 *   <li>a user name from one address: {@value #FREE_FAILURES} free, up to {@link #MAX_WAIT}. Guessing one account's
 *       password from one place is slowed hard, and an attacker elsewhere cannot lock its owner out;
 *   <li>an address, whatever the user names: {@value #FREE_FAILURES_PER_ADDRESS} free, up to {@link #MAX_WAIT}, and a
 *       success does not clear it, so password spraying cannot reset its count with an account of its own;
 *   <li>a user name from anywhere: {@value #FREE_FAILURES_PER_USER} free, up to {@link #MAX_USER_WAIT}, against
 *       guessing from many addresses; it slows only addresses that have failed for that user themselves, so its
 *       owner, signing in from elsewhere, is never kept out by it.
 * </ul>
 *
 * Attempts during a wait are refused without checking the password. A success clears the user's two keys. Bearer
 * tokens that fail are counted per address under a key of their own, which slows only failing tokens: a valid token
 * is never kept waiting.
 */
public final class LoginThrottle {

    static final int FREE_FAILURES = 5;
    static final int FREE_FAILURES_PER_ADDRESS = 20;
    static final int FREE_FAILURES_PER_USER = 50;
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    static final Duration MAX_USER_WAIT = Duration.ofMinutes(1);
    private static final int MAX_KEYS = 100_000;

    /** How a key counts: free failures, how often one is forgiven, the longest wait. */
    record Rule(int free, Duration leak, Duration maxWait) {}

    static final Rule PAIR = new Rule(FREE_FAILURES, Duration.ofMinutes(10), MAX_WAIT);
    static final Rule ADDRESS = new Rule(FREE_FAILURES_PER_ADDRESS, Duration.ofMinutes(5), MAX_WAIT);
    static final Rule USER = new Rule(FREE_FAILURES_PER_USER, Duration.ofMinutes(1), MAX_USER_WAIT);

    private record Key(String name, Rule rule) {}

    private record Failures(double level, Instant last, Instant blockedUntil) {
        double levelAt(Instant now, Rule rule) {
            double forgiven = (double) Duration.between(last, now).toMillis()
                    / rule.leak().toMillis();
            return Math.max(0, level - forgiven);
        }
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long the user name or the address must still wait, if either must. */
    public Optional<Duration> waitFor(String username, String address) {
        Failures here = failures.get("pair:" + username + "@" + address);
        boolean failedHere = here != null && here.levelAt(clock.instant(), PAIR) > 0;
        // the user-wide key slows only those who have failed for this user from where they are
        return waitFor(
                failedHere ? keys(username, address) : keys(username, address).subList(0, 2));
    }

    /** How long failing bearer tokens from this address must still wait. */
    public Optional<Duration> waitForBearer(String address) {
        return waitFor(List.of(bearer(address)));
    }

    private Optional<Duration> waitFor(List<Key> keys) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (Key key : keys) {
            Failures f = failures.get(key.name());
            if (f != null && f.blockedUntil() != null && f.blockedUntil().isAfter(now)) {
                Duration d = Duration.between(now, f.blockedUntil());
                wait = d.compareTo(wait) > 0 ? d : wait;
            }
        }
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    public void failed(String username, String address) {
        failed(keys(username, address));
    }

    /** A bearer token failed: counted for the address, apart from sign-ins. */
    public void failedBearer(String address) {
        failed(List.of(bearer(address)));
    }

    /** Forgets every count, as a restart does. */
    public void clear() {
        failures.clear();
    }

    private static Key bearer(String address) {
        return new Key("bearer:" + address, ADDRESS);
    }

    private void failed(List<Key> keys) {
        Instant now = clock.instant();
        if (failures.size() > MAX_KEYS) {
            failures.entrySet()
                    .removeIf(e ->
                            e.getValue().last().plus(MAX_WAIT.multipliedBy(4)).isBefore(now));
        }
        for (Key key : keys) {
            Rule rule = key.rule();
            failures.compute(key.name(), (k, f) -> {
                double level = (f == null ? 0 : f.levelAt(now, rule)) + 1;
                Instant until = null;
                long whole = Math.round(level); // a failure partly forgiven still counts as one
                if (whole >= rule.free()) {
                    Duration wait = Duration.ofSeconds(1L << Math.min(20, whole - rule.free()));
                    until = now.plus(wait.compareTo(rule.maxWait()) > 0 ? rule.maxWait() : wait);
                }
                return new Failures(level, now, until);
            });
        }
    }

    /** A sign-in succeeded: the user's counts start again; the address's does not (it may be spraying). */
    public void succeeded(String username, String address) {
        failures.remove("pair:" + username + "@" + address);
        failures.remove("user:" + username);
    }

    private static List<Key> keys(String username, String address) {
        return List.of(
                new Key("pair:" + username + "@" + address, PAIR),
                new Key("address:" + address, ADDRESS),
                new Key("user:" + username, USER));
    }
}
