package io.sweeplab.frontend.security;

import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;
import io.sweeplab.core.access.Caller;
import java.util.Optional;

/**
 * The signed-in user of the request being served. The dashboard's requests to the server are plain HTTP (push sends
 * only server-to-browser over the websocket), so each one carries the session cookie and Quarkus has authenticated
 * it; the services then check the caller's teams and roles.
 */
public final class CurrentUser {

    private CurrentUser() {}

    public static Optional<Caller> caller() {
        try {
            SecurityIdentity identity =
                    Arc.container().instance(SecurityIdentity.class).get();
            return Optional.ofNullable(identity.getAttribute(Caller.ATTRIBUTE));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** @throws IllegalStateException when no user is signed in (the navigation guard keeps such requests out) */
    public static Caller require() {
        return caller().orElseThrow(() -> new IllegalStateException("no user is signed in"));
    }
}
