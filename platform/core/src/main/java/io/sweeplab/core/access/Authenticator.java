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

    /**
     * A user, with their roles as they are now.
     *
     * @param session for a sign-in session (the form, or a session cookie), what the cookie carries; else null
     */
    public record Signed(Caller caller, String session) implements Result {
        public Signed(Caller caller) {
            this(caller, null);
        }
    }

    /**
     * A worker token, or a launch's: may only use the worker protocol.
     *
     * @param credential what the worker registers under: {@code token:<id>} or {@code launch:<id>}
     *
     * @param team the id of its team, whose runs alone its workers claim, or null for any team's
     */
    public record Worker(String credential, String name, Long team) implements Result {}

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
     * A user name with a password, or (HTTP basic only) with one of that user's tokens in place of the password, with
     * no more rights than the token's scope. The sign-in form takes passwords only: a session opened there has the
     * user's full rights, which a token may not have.
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
        if (!form && user.isPresent() && password != null && password.startsWith(Tokens.PREFIX)) {
            Result r = token(password, address);
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
            Caller caller = callerOf(user.get(), false, form ? "session" : "password");
            return new Signed(caller, form ? SessionPrincipal.of(user.get()) : null);
        }
        throttle.failed(name, address);
        audit.record(name, "sign-in-failed", null, null, Map.of("via", form ? "form" : "basic"), address);
        return new Refused("wrong user name or password");
    }

    /**
     * A bearer token. Failing tokens are slowed per address (429 while it waits); a valid one is never kept waiting.
     */
    public Result token(String secret, String address) {
        Optional<UserStore.TokenOwner> owner = secret == null || !secret.startsWith(Tokens.PREFIX)
                ? Optional.empty()
                : users.activeToken(Tokens.hash(secret));
        if (owner.isEmpty() && secret != null && secret.startsWith(Tokens.PREFIX)) {
            Optional<UserStore.LaunchToken> launch = users.activeLaunchToken(Tokens.hash(secret));
            if (launch.isPresent()) {
                UserStore.LaunchToken l = launch.get();
                return new Worker(
                        UserStore.LaunchToken.credential(l.launch()),
                        l.launcher() + " launch " + l.launch(),
                        l.teamId());
            }
        }
        if (owner.isEmpty() || owner.get().user().disabled()) {
            Optional<Duration> wait = throttle.waitForBearer(address);
            if (wait.isPresent()) {
                return new Throttled(wait.get());
            }
            throttle.failedBearer(address);
            return new Refused("unknown or revoked token");
        }
        ApiToken t = owner.get().token();
        User maker = owner.get().user();
        if (t.scope() == TokenScope.WORKER
                && !maker.admin()
                && (t.team() == null
                        || !users.roles(maker.id())
                                .getOrDefault(t.team(), Role.VIEWER)
                                .includes(Role.OWNER))) {
            // a worker token is worth what its maker may still do: every team's for an administrator, else the team's
            return new Refused("the worker token's maker no longer owns its team");
        }
        users.touchToken(t.id(), clock.instant());
        if (t.scope() == TokenScope.WORKER) {
            return new Worker("token:" + t.id(), t.name(), owner.get().teamId());
        }
        return new Signed(callerOf(owner.get().user(), t.scope() == TokenScope.READ, "token:" + t.name()));
    }

    /**
     * A session whose signature the platform checked: what its cookie carries (the user name and session epoch),
     * looked up again on each request. A session of an older epoch (the user signed out, changed the password, or had
     * their sessions ended) is over.
     */
    public Optional<Signed> session(String principal) {
        Optional<SessionPrincipal> p = SessionPrincipal.parse(principal);
        return p.flatMap(s -> users.find(s.username()))
                .filter(u -> !u.disabled() && u.sessionEpoch() == p.get().epoch())
                .map(u -> new Signed(callerOf(u, false, "session"), SessionPrincipal.of(u)));
    }

    /** A user vouched for by other means (single sign-on), looked up as they are now; disabled users are not. */
    public Optional<Caller> user(String username) {
        return users.find(username).filter(u -> !u.disabled()).map(u -> callerOf(u, false, "trusted"));
    }

    /**
     * A single sign-on identity: the provider's issuer and subject, bound at its first sign-in to the Sweeplab user
     * of the provider's user name, and from then on to that user only, whatever the provider's user name becomes.
     */
    public Result singleSignOn(String issuer, String subject, String providerName, String address) {
        if (issuer == null
                || subject == null
                || issuer.isBlank()
                || subject.isBlank()
                || issuer.length() > 500
                || subject.length() > 500) {
            return new Refused("the provider's token has no issuer or subject");
        }
        Optional<Long> bound = users.boundUser(issuer, subject);
        Optional<User> user;
        if (bound.isPresent()) {
            user = users.find(bound.get());
        } else {
            String name = providerName == null ? "" : providerName.strip().toLowerCase(java.util.Locale.ROOT);
            user = users.find(name);
            if (user.isEmpty()) {
                return new Refused("the single sign-on user '" + name + "' is no Sweeplab user");
            }
            if (!users.bind(issuer, subject, user.get().id())) {
                audit.record(name, "sso-refused", null, null, Map.of("issuer", issuer), address);
                return new Refused("the Sweeplab user '" + name + "' is bound to another identity of this provider");
            }
            audit.record(name, "sso-bind", null, "user " + name, Map.of("issuer", issuer), address);
        }
        return user.filter(u -> !u.disabled())
                .<Result>map(u -> new Signed(callerOf(u, false, "sso")))
                .orElse(new Refused("the user is disabled"));
    }

    /**
     * Ends every sign-in session of the caller's user (signing out does this: a copied cookie ends with the original).
     * Only a caller who came with a session cookie ends sessions.
     */
    public void endSessions(Caller caller, String address) {
        if ("session".equals(caller.via())) {
            users.endSessions(caller.userId());
            audit.record(caller.name(), "sign-out", null, null, Map.of(), address);
        }
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
