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
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Single sign-on: an identity the OpenID Connect provider vouches for, whose token was issued for Sweeplab (its
 * {@code aud} names {@code sweeplab.oidc.audience}, by default the client id), becomes a Sweeplab user: at its first
 * sign-in the one named by the provider's user name (claim {@code preferred_username}), and from then on always that
 * one, bound by the provider's issuer and subject, whatever the provider's user name becomes. A name with no Sweeplab
 * user is refused: administrators create users (the password then only serves HTTP basic).
 */
@ApplicationScoped
public class OidcUsers implements SecurityIdentityAugmentor {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(OidcUsers.class);

    private final Authenticator auth;
    private final Optional<String> audience;

    public OidcUsers(
            Authenticator auth,
            @ConfigProperty(name = "sweeplab.oidc.audience") Optional<String> audience,
            @ConfigProperty(name = "quarkus.oidc.client-id") Optional<String> clientId) {
        this.auth = auth;
        this.audience = audience.or(() -> clientId).filter(a -> !a.isBlank());
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()
                || identity.getAttribute(Caller.ATTRIBUTE) != null
                || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        if (audience.isEmpty()) {
            LOG.error("SWL-AUTH-004 single sign-on refused: set sweeplab.oidc.audience (or quarkus.oidc.client-id),"
                    + " the audience the provider's tokens must be issued for");
            return Uni.createFrom().failure(new AuthenticationFailedException("no audience configured"));
        }
        java.util.Set<String> aud = jwt.getAudience();
        if (aud == null || !aud.contains(audience.get())) {
            return Uni.createFrom()
                    .failure(new AuthenticationFailedException("the token was not issued for this platform"));
        }
        String name = identity.getPrincipal().getName();
        return context.runBlocking(() -> {
            Authenticator.Result r = auth.singleSignOn(jwt.getIssuer(), jwt.getSubject(), name, null);
            if (!(r instanceof Authenticator.Signed s)) {
                throw new AuthenticationFailedException(((Authenticator.Refused) r).reason());
            }
            Caller sso = s.caller();
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
