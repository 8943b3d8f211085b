package io.sweeplab.app.security;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signing out ({@code /logout}): the session cookie is dropped and the browser goes to the sign-in page. And
 * {@code /sso}, where single sign-on returns (it needs an OpenID Connect sign-in first), goes on to the dashboard.
 */
@ApplicationScoped
public class LogoutRoute {

    private final io.sweeplab.core.access.Authenticator auth;

    public LogoutRoute(io.sweeplab.core.access.Authenticator auth) {
        this.auth = auth;
    }

    void routes(@Observes Router router, @ConfigProperty(name = "quarkus.http.auth.form.cookie-name") String cookie) {
        router.route("/logout")
                .method(HttpMethod.GET)
                .method(HttpMethod.POST)
                .order(-10)
                .blockingHandler(rc -> {
                    // the session's epoch moves on: this cookie and every copy of it stop working
                    try {
                        io.quarkus.security.identity.SecurityIdentity id =
                                io.quarkus.vertx.http.runtime.security.QuarkusHttpUser.getSecurityIdentityBlocking(
                                        rc, null);
                        io.sweeplab.core.access.Caller caller =
                                id == null ? null : id.getAttribute(io.sweeplab.core.access.Caller.ATTRIBUTE);
                        if (caller != null) {
                            auth.endSessions(caller, ClientAddress.of(rc));
                        }
                    } catch (RuntimeException e) {
                        // no valid session: there is nothing to end
                    }
                    rc.response()
                            .addCookie(Cookie.cookie(cookie, "")
                                    .setPath("/")
                                    .setMaxAge(0)
                                    .setHttpOnly(true))
                            .putHeader("Location", "/login?signed-out")
                            .setStatusCode(303)
                            .end();
                });
    }
}
