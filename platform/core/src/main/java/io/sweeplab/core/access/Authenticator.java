package io.sweeplab.core.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns credentials into a {@link Caller}: a user name with a password or one of the user's tokens (HTTP basic and
 * the sign-in form), a bearer token, or a signed session (the user name only, already proven). Failed attempts are
 * slowed by a {@link LoginThrottle} and recorded in the audit log; sign-ins by password are recorded too.
 */
public final class Authenticator {

    /** The outcome of a sign-in attempt. */
    public sealed interface Result {}

    /** A user, with their roles as they are now. */
    public record Signed(Caller caller) implements Result {}

    /** A worker token: may only use the worker protocol. */
    public record Worker(String name) implements Result {}

    public record Refused(String reason) implements Result {}

    /** Too many failures: try again after {@code retryAfter}. */
    public record Throttled(Duration retryAfter) implements Result {}

    private static final Duration CACHE = Duration.ofMinutes(5);

    private final UserStore users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final Clock clock;
    /** Verified (user name, password) pairs, so that HTTP basic does not pay for bcrypt on every request. */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(String passwordHash, Instant until) {}

    public Authenticator(UserStore users, PasswordHasher hasher, LoginThrottle throttle, AuditLog audit, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * A user name with a password, or with one of that user's tokens in place of the password.
     *
     * @param form whether this is the sign-in form (recorded as a sign-in) rather than HTTP basic on one request
     */
    public Result password(String username, String password, String address, boolean form) {
        String name = username == null ? "" : username.strip().toLowerCase(java.util.Locale.ROOT);
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            // no user is named so (names are checked when made), and a NUL could not even be looked up
            return new Refused("wrong user name or password");
        }
        Optional<Duration> wait = throttle.waitFor(name, address);
        if (wait.isPresent()) {
            return new Throttled(wait.get());
        }
        Optional<User> user = users.find(name).filter(u -> !u.disabled());
        if (user.isPresent() && password != null && password.startsWith(Tokens.PREFIX)) {
            Result r = token(password);
            if (r instanceof Signed s && s.caller().userId() == user.get().id()) {
                throttle.succeeded(name, address);
                return r;
            }
        }
        // not one of the user's tokens: it may still be a password that merely starts like one
        if (user.isPresent() && password != null && verifyPassword(user.get(), name, password)) {
            throttle.succeeded(name, address);
            if (form) {
                audit.record(name, "sign-in", null, null, Map.of("via", "form"), address);
            }
            return new Signed(callerOf(user.get(), false, form ? "session" : "password"));
        }
        throttle.failed(name, address);
        audit.record(name, "sign-in-failed", null, null, Map.of("via", form ? "form" : "basic"), address);
        return new Refused("wrong user name or password");
    }

    /** A bearer token. */
    public Result token(String secret) {
        if (secret == null || !secret.startsWith(Tokens.PREFIX)) {
            return new Refused("not a Sweeplab token");
        }
        Optional<UserStore.TokenOwner> owner = users.activeToken(Tokens.hash(secret));
        if (owner.isEmpty() || owner.get().user().disabled()) {
            return new Refused("unknown or revoked token");
        }
        ApiToken t = owner.get().token();
        users.touchToken(t.id(), clock.instant());
        if (t.scope() == TokenScope.WORKER) {
            return new Worker(t.name());
        }
        return new Signed(callerOf(owner.get().user(), t.scope() == TokenScope.READ, "token:" + t.name()));
    }

    /** A session whose signature the platform checked: only the user name, looked up again on each request. */
    public Optional<Caller> session(String username) {
        return users.find(username).filter(u -> !u.disabled()).map(u -> callerOf(u, false, "session"));
    }

    public Caller callerOf(User u, boolean readOnly, String via) {
        return new Caller(u.id(), u.username(), u.admin(), users.roles(u.id()), readOnly, via);
    }

    private boolean verifyPassword(User u, String name, String password) {
        String key = cacheKey(name, password);
        Verified v = verified.get(key);
        Instant now = clock.instant();
        if (v != null && v.until().isAfter(now) && v.passwordHash().equals(u.passwordHash())) {
            return true;
        }
        if (!hasher.verify(password, u.passwordHash())) {
            return false;
        }
        if (verified.size() > 10_000) {
            verified.clear();
        }
        verified.put(key, new Verified(u.passwordHash(), now.plus(CACHE)));
        return true;
    }

    private static String cacheKey(String name, String password) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(d.digest((name + '\0' + password).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
