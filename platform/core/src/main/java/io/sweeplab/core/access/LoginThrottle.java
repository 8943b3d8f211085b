package io.sweeplab.core.access;

import io.sweeplab.core.access.LoginFailureStore.Failures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 *
 * <p>The counts live in a {@link LoginFailureStore} shared by every platform instance; a count is pruned once its
 * failures are all forgiven and its wait is over.
 */
public final class LoginThrottle {

    static final int FREE_FAILURES = 5;
    static final int FREE_FAILURES_PER_ADDRESS = 20;
    static final int FREE_FAILURES_PER_USER = 50;
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    static final Duration MAX_USER_WAIT = Duration.ofMinutes(1);
    /** How often an instance deletes the counts that mean nothing any more. */
    static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    /** How a key counts: free failures, how often one is forgiven, the longest wait. */
    record Rule(int free, Duration leak, Duration maxWait) {}

    static final Rule PAIR = new Rule(FREE_FAILURES, Duration.ofMinutes(10), MAX_WAIT);
    static final Rule ADDRESS = new Rule(FREE_FAILURES_PER_ADDRESS, Duration.ofMinutes(5), MAX_WAIT);
    static final Rule USER = new Rule(FREE_FAILURES_PER_USER, Duration.ofMinutes(1), MAX_USER_WAIT);

    private record Key(String name, Rule rule) {}

    private static double levelAt(Failures f, Instant now, Rule rule) {
        // an instance whose clock reading came before another's last write forgives nothing (never a negative)
        double forgiven = (double) Math.max(0, Duration.between(f.last(), now).toMillis())
                / rule.leak().toMillis();
        return Math.max(0, f.level() - forgiven);
    }

    private final LoginFailureStore failures;
    private final Clock clock;
    private volatile Instant pruned = Instant.MIN;

    public LoginThrottle(LoginFailureStore failures, Clock clock) {
        this.failures = failures;
        this.clock = clock;
    }

    /** How long the user name or the address must still wait, if either must. */
    public Optional<Duration> waitFor(String username, String address) {
        List<Key> keys = keys(username, address);
        Map<String, Failures> found = find(keys);
        Failures here = found.get(pair(username, address));
        boolean failedHere = here != null && levelAt(here, clock.instant(), PAIR) > 0;
        // the user-wide key slows only those who have failed for this user from where they are
        return waitFor(failedHere ? keys : keys.subList(0, 2), found);
    }

    /** How long failing bearer tokens from this address must still wait. */
    public Optional<Duration> waitForBearer(String address) {
        List<Key> keys = List.of(bearer(address));
        return waitFor(keys, find(keys));
    }

    private Map<String, Failures> find(List<Key> keys) {
        return failures.find(keys.stream().map(Key::name).toList());
    }

    private Optional<Duration> waitFor(List<Key> keys, Map<String, Failures> found) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (Key key : keys) {
            Failures f = found.get(key.name());
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
        if (pruned.plus(PRUNE_EVERY).isBefore(now)) {
            pruned = now;
            failures.prune(now);
        }
        for (Key key : keys) {
            failures.update(key.name(), f -> counted(f, key.rule(), now));
        }
    }

    /** One more failure on a count (or on none yet). */
    static Failures counted(Failures f, Rule rule, Instant reading) {
        // the count's time never goes back: another instance (or thread) may have written a later one meanwhile
        Instant now = f == null || reading.isAfter(f.last()) ? reading : f.last();
        double level = (f == null ? 0 : levelAt(f, now, rule)) + 1;
        Instant until = null;
        long whole = Math.round(level); // a failure partly forgiven still counts as one
        if (whole >= rule.free()) {
            Duration wait = Duration.ofSeconds(1L << Math.min(20, whole - rule.free()));
            until = now.plus(wait.compareTo(rule.maxWait()) > 0 ? rule.maxWait() : wait);
        }
        Instant forgiven = now.plusMillis((long) Math.ceil(level * rule.leak().toMillis()));
        Instant forget = until != null && until.isAfter(forgiven) ? until : forgiven;
        return new Failures(level, now, until, forget);
    }

    /** A sign-in succeeded: the user's counts start again; the address's does not (it may be spraying). */
    public void succeeded(String username, String address) {
        failures.remove(List.of(pair(username, address), "user:" + username));
    }

    private static String pair(String username, String address) {
        return "pair:" + username + "@" + address;
    }

    private static List<Key> keys(String username, String address) {
        return List.of(
                new Key(pair(username, address), PAIR),
                new Key("address:" + address, ADDRESS),
                new Key("user:" + username, USER));
    }
}
