package io.sweeplab.core.access;

import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Personal API tokens and worker tokens: created with a secret shown once, listed without it, revocable. */
public final class TokenService {

    /** A token just created: {@code secret} is shown this once. */
    public record NewToken(String secret, ApiToken token) {}

    private final UserStore store;
    private final AuditLog audit;

    public TokenService(UserStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    /** @param scope read or write (for the caller), or worker (administrators only) */
    public NewToken create(Caller caller, String name, String scope) {
        return create(caller, name, scope, null);
    }

    /**
     * @param scope read or write (for the caller), or worker
     * @param team for a worker token, the team whose runs alone its workers claim (its owners may make one); null
     *     for a worker token of every team, which only administrators make
     */
    public NewToken create(Caller caller, String name, String scope, String team) {
        caller.requireWritable();
        List<FieldError> errors = new ArrayList<>();
        String n = name == null ? null : name.strip();
        if (n == null || n.isEmpty() || n.length() > 100 || n.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("name", "is required: 1 to 100 characters, without control characters"));
        }
        TokenScope s = TokenScope.parse(scope);
        if (s == null) {
            errors.add(new FieldError("scope", "must be one of read, write, worker"));
        }
        if (team != null && s != null && s != TokenScope.WORKER) {
            errors.add(new FieldError("team", "only a worker token belongs to a team"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (s == TokenScope.WORKER && team == null) {
            caller.requireAdmin();
        }
        if (team != null) {
            caller.require(team, Role.OWNER, "no team '" + team + "'");
        }
        String secret = Tokens.newSecret();
        ApiToken t = store.createToken(caller.userId(), n, s, Tokens.hash(secret), Tokens.prefix(secret), team);
        audit.record(caller.name(), "token-create", team, "token " + t.id(), Map.of("name", n, "scope", s.jsonName()));
        return new NewToken(secret, t);
    }

    /** The caller's tokens; an administrator sees every token. */
    public List<ApiToken> list(Caller caller) {
        return store.tokens(caller.admin() ? null : caller.userId());
    }

    public ApiToken revoke(Caller caller, long id) {
        caller.requireWritable();
        ApiToken t = store.token(id)
                .filter(x -> caller.admin()
                        || x.user().equals(caller.name())
                        || (x.team() != null && caller.hasRole(x.team(), Role.OWNER)))
                .orElseThrow(() -> new NotFoundException("no token " + id));
        if (store.revokeToken(id)) {
            audit.record(caller.name(), "token-revoke", null, "token " + id, Map.of("name", t.name()));
        }
        return store.token(id).orElseThrow();
    }
}
