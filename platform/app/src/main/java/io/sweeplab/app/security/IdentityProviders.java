package io.sweeplab.app.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.sweeplab.core.access.Authenticator;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where Quarkus security meets {@link Authenticator}: the sign-in form and HTTP basic (a user name with a password or
 * a token), bearer tokens (users' tokens, worker tokens, and the worker token from configuration), and the signed
 * session cookie (the user is looked up again on every request, so a disabled user or a changed role takes effect
 * at once). All of them touch the database, so they run on a worker thread.
 */
public final class IdentityProviders {

    private IdentityProviders() {}

    private static RoutingContext context(io.quarkus.security.identity.request.AuthenticationRequest r) {
        return HttpSecurityUtils.getRoutingContextAttribute(r);
    }

    @ApplicationScoped
    public static class Password implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
        private final Authenticator auth;

        public Password(Authenticator auth) {
            this.auth = auth;
        }

        @Override
        public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
            return UsernamePasswordAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(
                UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
            RoutingContext rc = context(request);
            boolean form = rc != null && rc.normalizedPath().endsWith("/j_security_check");
            String password = new String(request.getPassword().getPassword());
            return context.runBlocking(() ->
                    Identities.of(auth.password(request.getUsername(), password, ClientAddress.of(rc), form), rc));
        }
    }

    /** The shortest worker token accepted from configuration: guessing it must be hopeless. */
    static final int MIN_CONFIGURED_TOKEN = 32;

    @ApplicationScoped
    public static class Token implements IdentityProvider<TokenAuthenticationRequest> {
        private final Authenticator auth;
        private final Optional<byte[]> configuredWorkerToken;

        public Token(Authenticator auth, @ConfigProperty(name = "sweeplab.worker.token") Optional<String> workerToken) {
            this.auth = auth;
            workerToken
                    .filter(t -> !t.isBlank() && t.strip().length() < MIN_CONFIGURED_TOKEN)
                    .ifPresent(t -> {
                        throw new IllegalStateException("SWL-AUTH-003 sweeplab.worker.token is "
                                + t.strip().length()
                                + " characters long: a worker token must be at least " + MIN_CONFIGURED_TOKEN
                                + " random characters (for example: openssl rand -hex 32), or unset to use worker tokens that"
                                + " administrators create");
                    });
            this.configuredWorkerToken =
                    workerToken.filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Class<TokenAuthenticationRequest> getRequestType() {
            return TokenAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(
                TokenAuthenticationRequest request, AuthenticationRequestContext context) {
            String secret = request.getToken().getToken();
            if (configuredWorkerToken.isPresent()
                    && MessageDigest.isEqual(configuredWorkerToken.get(), secret.getBytes(StandardCharsets.UTF_8))) {
                return Uni.createFrom()
                        .item(Identities.worker(
                                new io.sweeplab.core.queue.WorkerCredential("configured", "configured", null)));
            }
            if (!secret.startsWith(io.sweeplab.core.access.Tokens.PREFIX)) {
                return Uni.createFrom().nullItem(); // not ours: another provider (OIDC, when enabled) may know it
            }
            RoutingContext rc = context(request);
            return context.runBlocking(() -> Identities.of(auth.token(secret, ClientAddress.of(rc)), rc));
        }
    }

    @ApplicationScoped
    public static class Session implements IdentityProvider<TrustedAuthenticationRequest> {
        private final Authenticator auth;

        public Session(Authenticator auth) {
            this.auth = auth;
        }

        @Override
        public Class<TrustedAuthenticationRequest> getRequestType() {
            return TrustedAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(
                TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
            return context.runBlocking(() -> auth.session(request.getPrincipal())
                    .map(s -> Identities.of(s, null))
                    .orElseThrow(() -> new AuthenticationFailedException("the session's user is gone or disabled")));
        }
    }
}
