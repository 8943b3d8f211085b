package io.sweeplab.app.security;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.sweeplab.core.access.Caller;
import jakarta.enterprise.context.RequestScoped;

/** The {@link Caller} of the request being served, for resources to hand to the services. */
@RequestScoped
public class CurrentCaller {

    private final SecurityIdentity identity;

    public CurrentCaller(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** @throws UnauthorizedException when nobody (or only a worker) is signed in */
    public Caller get() {
        Caller c = identity.getAttribute(Caller.ATTRIBUTE);
        if (c == null) {
            throw new UnauthorizedException();
        }
        return c;
    }
}
