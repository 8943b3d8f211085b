package io.sweeplab.app.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.sweeplab.core.access.Authenticator;
import io.sweeplab.core.access.Caller;

/** Quarkus security identities for the outcomes of {@link Authenticator}. */
final class Identities {

    /** Roles: every signed-in user, administrators, and the worker protocol. */
    static final String USER = "user";

    static final String ADMIN = "admin";
    static final String WORKER = "worker";

    /** A routing-context key: seconds a throttled client must wait, for the 429 the challenge sends. */
    static final String RETRY_AFTER = "sweeplab.retry-after";

    private Identities() {}

    static SecurityIdentity of(Authenticator.Result result, io.vertx.ext.web.RoutingContext rc) {
        if (result instanceof Authenticator.Signed s) {
            return user(s.caller());
        }
        if (result instanceof Authenticator.Worker w) {
            return worker(w.name());
        }
        if (result instanceof Authenticator.Throttled t) {
            long seconds = Math.max(1, (t.retryAfter().toMillis() + 999) / 1000);
            if (rc != null) {
                rc.put(RETRY_AFTER, seconds);
            }
            throw new AuthenticationFailedException("too many failed sign-ins: try again in " + seconds + " s");
        }
        throw new AuthenticationFailedException(((Authenticator.Refused) result).reason());
    }

    static SecurityIdentity user(Caller caller) {
        QuarkusSecurityIdentity.Builder b = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.name()))
                .addRole(USER)
                .addAttribute(Caller.ATTRIBUTE, caller);
        if (caller.admin()) {
            b.addRole(ADMIN);
        }
        return b.build();
    }

    static SecurityIdentity worker(String name) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("worker:" + name))
                .addRole(WORKER)
                .build();
    }
}
