package io.sweeplab.app.security;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The sign-in form's post ({@code /j_security_check}) is the form mechanism's alone. Quarkus reads the form and,
 * when a field is missing, steps aside: the request would go on to the dashboard's servlet, which then waits for a
 * body already read. And a form it cannot decode leaves it waiting for good. So every post that is not a small
 * form is refused before the mechanism sees it, a form that fails to decode is answered at once, and a post that
 * the mechanism let through answers as a failed sign-in does: back to the form with an error.
 */
@ApplicationScoped
public class SignInFormGuard {

    /** After CORS (-300), before authentication (-200): the routes of Quarkus's security filters. */
    static final int BEFORE_AUTHENTICATION = -250;

    /** After authorization (-100), before the dashboard's servlet. */
    static final int AFTER_AUTHENTICATION = -10;

    void routes(
            @Observes Router router,
            @ConfigProperty(name = "quarkus.http.auth.form.post-location", defaultValue = "/j_security_check")
                    String post,
            @ConfigProperty(name = "quarkus.http.auth.form.error-page", defaultValue = "/login?error") String error,
            @ConfigProperty(name = "quarkus.http.limits.max-form-attribute-size", defaultValue = "2048")
                    MemorySize maxForm) {
        long limit = maxForm.asLongValue();
        router.route(post).method(HttpMethod.POST).order(BEFORE_AUTHENTICATION).handler(ctx -> {
            String type = ctx.request().getHeader(HttpHeaderNames.CONTENT_TYPE);
            String length = ctx.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
            boolean form =
                    type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
            // a form no longer than one field may be cannot hold a field over that limit, which Vert.x cannot decode
            boolean small = length != null
                    && length.length() < 10
                    && length.matches("[0-9]+")
                    && Long.parseLong(length) <= limit;
            if (!form || !small) {
                ctx.response().putHeader(HttpHeaderNames.CONNECTION, "close");
                failed(ctx, error);
                return;
            }
            ctx.request().exceptionHandler(e -> failed(ctx, error));
            ctx.next();
        });
        router.route(post).order(AFTER_AUTHENTICATION).handler(ctx -> {
            if (ctx.request().method() == HttpMethod.POST) {
                failed(ctx, error);
            } else {
                ctx.next();
            }
        });
    }

    private static void failed(RoutingContext ctx, String error) {
        if (!ctx.response().ended()) {
            ctx.response()
                    .setStatusCode(302)
                    .putHeader(HttpHeaderNames.LOCATION, error)
                    .end();
        }
    }
}
