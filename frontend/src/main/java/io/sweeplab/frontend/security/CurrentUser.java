package io.sweeplab.frontend.security;

import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.access.UserService;
import java.util.Optional;

/**
 * The signed-in user of the request being served. The dashboard's requests to the server are plain HTTP (push sends
 * only server-to-browser over the websocket), so each one carries the session cookie and Quarkus has authenticated
 * it; the services then check the caller's teams and roles. A page acts through a {@link CallerSource}, never
 * through a caller it kept, so that it acts as its user is now.
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

    /**
     * The user of the request being served, for a page to act as from now on, as they will be each time: called
     * when the page is opened (the router builds views in a request), used in its handlers and live refreshes.
     *
     * @throws IllegalStateException when no user is signed in (the navigation guard keeps such requests out)
     */
    public static CallerSource source() {
        Caller opened = require();
        Integer epoch = null;
        try {
            epoch = io.sweeplab.core.access.SessionPrincipal.parse(Arc.container()
                            .instance(SecurityIdentity.class)
                            .get()
                            .getPrincipal()
                            .getName())
                    .map(io.sweeplab.core.access.SessionPrincipal::epoch)
                    .filter(e -> "session".equals(opened.via())) // only a session cookie names an epoch
                    .orElse(null);
        } catch (RuntimeException e) {
            // no identity to read: the page is not bound to a session
        }
        return new CallerSource(Arc.container().instance(UserService.class).get(), opened, epoch);
    }

    /** @throws IllegalStateException when no user is signed in (the navigation guard keeps such requests out) */
    public static Caller require() {
        return caller().orElseThrow(() -> new IllegalStateException("no user is signed in"));
    }
}
