package io.sweeplab.app.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.sweeplab.core.access.Authenticator;
import io.sweeplab.core.access.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Single sign-on: an identity the OpenID Connect provider vouches for becomes the Sweeplab user of the same name
 * (claim {@code preferred_username}), with that user's teams and roles. A name with no Sweeplab user is refused:
 * administrators create users (the password then only serves HTTP basic).
 */
@ApplicationScoped
public class OidcUsers implements SecurityIdentityAugmentor {

    private final Authenticator auth;

    public OidcUsers(Authenticator auth) {
        this.auth = auth;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()
                || identity.getAttribute(Caller.ATTRIBUTE) != null
                || !(identity.getPrincipal() instanceof JsonWebToken)) {
            return Uni.createFrom().item(identity);
        }
        String name = identity.getPrincipal().getName().toLowerCase(Locale.ROOT);
        return context.runBlocking(() -> {
            Caller c = auth.session(name)
                    .orElseThrow(() -> new AuthenticationFailedException(
                            "the single sign-on user '" + name + "' is no Sweeplab user (or is disabled)"));
            Caller sso = new Caller(c.userId(), c.name(), c.admin(), c.teams(), false, "sso");
            QuarkusSecurityIdentity.Builder b = QuarkusSecurityIdentity.builder(identity)
                    .addRole(Identities.USER)
                    .addAttribute(Caller.ATTRIBUTE, sso);
            if (sso.admin()) {
                b.addRole(Identities.ADMIN);
            }
            return b.build();
        });
    }
}
