package io.sweeplab.core.access;

import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Users, passwords and team memberships, with who may change them. */
public final class UserService {

    static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,39}");
    static final int MIN_PASSWORD = 12;

    /** A user as listed (never the hash). */
    public record UserView(
            String username, String displayName, boolean admin, boolean disabled, Map<String, Role> teams) {}

    private final UserStore store;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final java.util.function.Predicate<String> teamExists;

    public UserService(
            UserStore store, PasswordHasher hasher, AuditLog audit, java.util.function.Predicate<String> teamExists) {
        this.store = store;
        this.hasher = hasher;
        this.audit = audit;
        this.teamExists = teamExists;
    }

    /**
     * Creates the first administrator when there is none: with the configured password, or a generated one that the
     * caller prints once. Never a fixed default.
     *
     * @return the generated password, when one was generated
     */
    public Optional<String> ensureInitialAdmin(String username, Optional<String> configuredPassword) {
        if (store.anyAdmin()) {
            return Optional.empty();
        }
        String password = configuredPassword.filter(p -> !p.isBlank()).orElse(null);
        boolean generated = password == null;
        if (generated) {
            byte[] b = new byte[18];
            new SecureRandom().nextBytes(b);
            password = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        } else {
            List<FieldError> errors = new ArrayList<>();
            checkPassword("SWEEPLAB_ADMIN_PASSWORD", password, errors);
            if (!errors.isEmpty()) {
                throw new IllegalStateException(
                        "SWEEPLAB_ADMIN_PASSWORD " + errors.get(0).message());
            }
        }
        Optional<User> existing = store.find(username);
        if (existing.isPresent()) {
            throw new IllegalStateException("there is no administrator, but the user '" + username
                    + "' exists and is not one; choose another sweeplab.admin.username");
        }
        try {
            store.create(username, "Administrator", hasher.hash(password), true);
        } catch (io.sweeplab.core.error.ConflictException e) {
            if (store.anyAdmin()) {
                return Optional.empty(); // another platform instance, starting at the same moment, made it
            }
            throw e;
        }
        audit.record("system", "user-create", null, "user " + username, Map.of("admin", true));
        return generated ? Optional.of(password) : Optional.empty();
    }

    /**
     * The caller as the user is now: administrator or not and team roles read again, for pages and sessions that
     * outlive the moment they were opened. The credential's own limit (a read-only token) stays.
     *
     * @return empty when the user was deleted or disabled since
     */
    public Optional<Caller> current(Caller opened) {
        return current(opened, null);
    }

    /**
     * As {@link #current(Caller)}, and for a page opened in a sign-in session, only while that session lasts
     * (signing out, or a password change, ends it).
     *
     * @param sessionEpoch the session epoch the page was opened under, or null when not opened in a session
     */
    public Optional<Caller> current(Caller opened, Integer sessionEpoch) {
        return store.find(opened.userId())
                .filter(u -> !u.disabled())
                .filter(u -> sessionEpoch == null || u.sessionEpoch() == sessionEpoch)
                .map(u -> new Caller(
                        u.id(), u.username(), u.admin(), store.roles(u.id()), opened.readOnly(), opened.via()));
    }

    public UserView me(Caller caller) {
        return view(store.find(caller.userId()).orElseThrow(() -> new NotFoundException("no user " + caller.name())));
    }

    public List<UserView> users(Caller caller) {
        caller.requireAdmin();
        return store.list().stream().map(this::view).toList();
    }

    public UserView user(Caller caller, String username) {
        caller.requireAdmin();
        return view(find(username));
    }

    public UserView create(Caller caller, String username, String displayName, String password, Boolean admin) {
        caller.requireAdmin();
        List<FieldError> errors = new ArrayList<>();
        if (username == null || !USERNAME.matcher(username).matches()) {
            errors.add(
                    new FieldError(
                            "username",
                            "must be 2 to 40 lower-case letters, digits, dots, dashes and underscores, starting with a letter or digit"));
        }
        String display = displayName == null || displayName.isBlank() ? username : displayName.strip();
        if (display != null && (display.length() > 100 || display.chars().anyMatch(Character::isISOControl))) {
            errors.add(new FieldError("displayName", "must be at most 100 characters, without control characters"));
        }
        checkPassword("password", password, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        User u = store.create(username, display, hasher.hash(password), Boolean.TRUE.equals(admin));
        audit.record(caller.name(), "user-create", null, "user " + username, Map.of("admin", u.admin()));
        return view(u);
    }

    public UserView setDisabled(Caller caller, String username, boolean disabled) {
        caller.requireAdmin();
        User u = find(username);
        if (u.id() == caller.userId() && disabled) {
            throw new ConflictException("disabled", "administrators cannot disable themselves");
        }
        store.setDisabled(u.id(), disabled);
        audit.record(caller.name(), disabled ? "user-disable" : "user-enable", null, "user " + username, Map.of());
        return view(find(username));
    }

    public void changePassword(Caller caller, String current, String next) {
        caller.requireWritable();
        User u = store.find(caller.userId()).orElseThrow(() -> new NotFoundException("no user " + caller.name()));
        List<FieldError> errors = new ArrayList<>();
        if (current == null || !hasher.verify(current, u.passwordHash())) {
            errors.add(new FieldError("currentPassword", "is not the current password"));
        }
        checkPassword("newPassword", next, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        store.setPassword(u.id(), hasher.hash(next));
        audit.record(caller.name(), "password-change", null, "user " + u.username(), Map.of());
    }

    public List<Member> members(Caller caller, String team) {
        caller.requireRead(team, "no team '" + team + "'");
        requireTeam(team);
        return store.members(team);
    }

    /** Adds a user to a team or changes their role: owners of the team and administrators. */
    public Member setRole(Caller caller, String team, String username, String role) {
        caller.require(team, Role.OWNER, "no team '" + team + "'");
        requireTeam(team);
        Role r = Role.parse(role);
        if (r == null) {
            throw new InvalidInputException(List.of(new FieldError("role", "must be one of owner, member, viewer")));
        }
        User u = store.find(username).orElseThrow(() -> new NotFoundException("no user '" + username + "'"));
        store.setRole(team, u.id(), r);
        audit.record(caller.name(), "member-set", team, "user " + username, Map.of("role", r.jsonName()));
        return store.members(team).stream()
                .filter(m -> m.username().equals(username))
                .findFirst()
                .orElseThrow();
    }

    public void removeMember(Caller caller, String team, String username) {
        caller.require(team, Role.OWNER, "no team '" + team + "'");
        requireTeam(team);
        User u = store.find(username).orElseThrow(() -> new NotFoundException("no user '" + username + "'"));
        if (!store.removeMember(team, u.id())) {
            throw new NotFoundException("user '" + username + "' is not a member of team '" + team + "'");
        }
        audit.record(caller.name(), "member-remove", team, "user " + username, Map.of());
    }

    private void requireTeam(String team) {
        if (!teamExists.test(team)) {
            throw new NotFoundException("no team '" + team + "'");
        }
    }

    private User find(String username) {
        return store.find(username).orElseThrow(() -> new NotFoundException("no user '" + username + "'"));
    }

    private UserView view(User u) {
        return new UserView(u.username(), u.displayName(), u.admin(), u.disabled(), store.roles(u.id()));
    }

    static void checkPassword(String field, String password, List<FieldError> errors) {
        if (password == null || password.length() < MIN_PASSWORD) {
            errors.add(new FieldError(field, "must be at least " + MIN_PASSWORD + " characters"));
        } else if (password.getBytes(StandardCharsets.UTF_8).length > 72) {
            errors.add(new FieldError(field, "must be at most 72 bytes (bcrypt reads no further)"));
        }
    }
}
