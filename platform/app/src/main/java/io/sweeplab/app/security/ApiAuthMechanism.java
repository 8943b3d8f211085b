package io.sweeplab.app.security;

import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * Credentials in the {@code Authorization} header, for scripts and workers: {@code Bearer <token>}, or HTTP basic
 * with a user name and a password or token. Without that header it steps aside for the sign-in cookie (form
 * sign-in). It also sends every challenge: API paths get a problem+json 401 (or 429 while sign-ins are throttled),
 * browsers a redirect to the sign-in page ({@code /login?error} after a failed sign-in).
 */
@ApplicationScoped
public class ApiAuthMechanism implements HttpAuthenticationMechanism {

    private final boolean sso;
    private final java.util.Optional<String> workerToken;

    public ApiAuthMechanism(
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "sweeplab.oidc.enabled") boolean sso,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "sweeplab.worker.token")
                    java.util.Optional<String> workerToken) {
        this.sso = sso;
        this.workerToken = workerToken;
    }

    /**
     * Bearer only: a browser told of Basic would offer its own sign-in prompt and then send the cached credentials
     * with every request, cross-site ones included, which SameSite cookies protect against. Scripts still send basic
     * credentials unasked (curl -u).
     */
    static final String CHALLENGE = "Bearer realm=\"sweeplab\"";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader("Authorization");
        if (header == null) {
            return Uni.createFrom().nullItem();
        }
        AuthenticationRequest request;
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).strip();
            if (sso
                    && !token.startsWith(io.sweeplab.core.access.Tokens.PREFIX)
                    && !workerToken.orElse("").equals(token)) {
                return Uni.createFrom().nullItem(); // an OpenID Connect access token: its own mechanism checks it
            }
            request = new TokenAuthenticationRequest(
                    new TokenCredential(header.substring(7).strip(), "bearer"));
        } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(
                        Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Uni.createFrom()
                        .failure(new io.quarkus.security.AuthenticationFailedException("malformed basic credentials"));
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Uni.createFrom()
                        .failure(new io.quarkus.security.AuthenticationFailedException("malformed basic credentials"));
            }
            request = new UsernamePasswordAuthenticationRequest(
                    decoded.substring(0, colon),
                    new PasswordCredential(decoded.substring(colon + 1).toCharArray()));
        } else {
            return Uni.createFrom()
                    .failure(new io.quarkus.security.AuthenticationFailedException("unsupported Authorization scheme"));
        }
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        context.put(ApiAuthMechanism.class.getName(), Boolean.TRUE);
        return identityProviderManager.authenticate(request);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", CHALLENGE));
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        String path = context.normalizedPath();
        boolean api = path.startsWith("/api/")
                || path.equals("/api")
                || path.startsWith("/q/")
                || path.startsWith("/ajax-api/"); // MLflow's web UI path of the same API
        if (sso && path.equals("/sso")) {
            return Uni.createFrom().item(false); // single sign-on: the OpenID Connect mechanism sends the browser on
        }
        if (!api && context.get(ApiAuthMechanism.class.getName()) == null) {
            // the browser: a failed sign-in goes back to the form with an error, anything else to the form
            boolean signIn = path.endsWith("/j_security_check");
            return Uni.createFrom()
                    .completionStage(context.response()
                            .setStatusCode(302)
                            .putHeader("Location", signIn ? "/login?error" : "/login")
                            .end()
                            .toCompletionStage())
                    .replaceWith(true);
        }
        Long retry = context.get(Identities.RETRY_AFTER);
        int status = retry != null ? 429 : 401;
        String detail = retry != null
                ? "too many failed sign-ins: try again in " + retry + " s"
                : context.request().getHeader("Authorization") == null
                        ? "sign in: send Authorization: Bearer <token>, or HTTP basic with a user name and password or token"
                        : "the credentials were not accepted (wrong user name or password, or an unknown or revoked token)";
        JsonObject problem = new JsonObject()
                .put("type", "urn:sweeplab:problem:" + (retry != null ? "too-many-requests" : "unauthorized"))
                .put("title", retry != null ? "Too Many Requests" : "Unauthorized")
                .put("status", status)
                .put("detail", detail);
        var response = context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/problem+json")
                .putHeader("WWW-Authenticate", CHALLENGE);
        if (retry != null) {
            response.putHeader("Retry-After", Long.toString(retry));
        }
        return Uni.createFrom()
                .completionStage(response.end(problem.encode()).toCompletionStage())
                .replaceWith(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(UsernamePasswordAuthenticationRequest.class, TokenAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        return 2000;
    }
}
