package io.sweeplab.app.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.sweeplab.core.access.Authenticator;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.queue.WorkerCredential;

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
            // a session's identity names the cookie's user and epoch: that is what the cookie will carry
            return user(
                    s.caller(), s.session() != null ? s.session() : s.caller().name());
        }
        if (result instanceof Authenticator.Worker w) {
            return worker(new WorkerCredential(w.credential(), w.name(), w.team()));
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

    static SecurityIdentity user(Caller caller, String principal) {
        QuarkusSecurityIdentity.Builder b = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(principal))
                .addRole(USER)
                .addAttribute(Caller.ATTRIBUTE, caller);
        if (caller.admin()) {
            b.addRole(ADMIN);
        }
        return b.build();
    }

    static SecurityIdentity worker(WorkerCredential credential) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("worker:" + credential.label()))
                .addRole(WORKER)
                .addAttribute(WorkerCredential.ATTRIBUTE, credential)
                .build();
    }
}
