package io.sweeplab.app.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Errors of the HTTP layer, below the REST resources, as problem+json for API paths: a body over
 * {@code quarkus.http.limits.max-body-size} (413), a role that an HTTP permission of {@code application.properties}
 * refuses (403), and anything else that fails a request in the router before a resource answers.
 *
 * <p>What is refused before the router keeps its empty answer, as no hook of Quarkus reaches there: Netty's decoder
 * (a request line or headers over their limits, 414 and 431; a Content-Length that is no number, 400), and a path
 * or query with a malformed %-escape (400; neither a failure handler nor the router's error handler sees it).
 */
@ApplicationScoped
public class HttpLayerProblems {

    private static final Logger LOG = Logger.getLogger(HttpLayerProblems.class);

    void install(
            @Observes Router router,
            ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBody) {
        long limit = maxBody.asLongValue(); // announced bodies over their limits never get here (BodyLimits)
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (!api(ctx) || ctx.response().headWritten() || leaveToSecurity(ctx.failure())) {
                ctx.next();
                return;
            }
            if (ctx.failure() instanceof io.quarkus.security.ForbiddenException) {
                send(ctx, json, 403, "this needs another role");
                return;
            }
            int status = ctx.failure() instanceof HttpException h ? h.getStatusCode() : ctx.statusCode();
            if (status < 400) {
                String id = UUID.randomUUID().toString();
                LOG.errorf(ctx.failure(), "SWL-API-501 request failed below the REST layer %s", id);
                send(ctx, json, 500, "an unexpected error occurred; the server log has the details under " + id);
                return;
            }
            send(ctx, json, status, detail(status, limit));
        });
    }

    private static String detail(int status, long limit) {
        return switch (status) {
            case 400 -> "the request cannot be read (for example a malformed %-escape in its path)";
            case 413 -> "the body is larger than the limit of " + limit + " bytes";
            default -> HttpResponseStatus.valueOf(status).reasonPhrase();
        };
    }

    private static boolean api(RoutingContext ctx) {
        String path = ctx.request().path();
        return path != null && (path.equals("/api") || path.startsWith("/api/"));
    }

    /** Sign-in challenges and their redirects are the security layer's (see {@code ApiAuthMechanism}). */
    private static boolean leaveToSecurity(Throwable failure) {
        return failure instanceof io.quarkus.security.AuthenticationException
                || failure instanceof io.quarkus.security.UnauthorizedException;
    }

    static void send(RoutingContext ctx, ObjectMapper json, int status, String detail) {
        send(ctx, json, status, detail, null);
    }

    /** A problem+json answer from below the REST layer; {@code field} names what is wrong, or is null. */
    static void send(RoutingContext ctx, ObjectMapper json, int status, String detail, String field) {
        String title = HttpResponseStatus.valueOf(status).reasonPhrase();
        String body;
        try {
            body = json.writeValueAsString(new Problem(
                    "urn:sweeplab:problem:" + title.toLowerCase(Locale.ROOT).replace(' ', '-'),
                    title,
                    status,
                    detail,
                    field,
                    field == null ? null : java.util.List.of(new io.sweeplab.core.error.FieldError(field, detail))));
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + status + "}";
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(body);
    }
}
