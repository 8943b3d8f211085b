package io.sweeplab.app.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers API paths that no REST resource matches with a problem+json 404. The REST layer hands such requests
 * on to the next route, which would be the dashboard's servlet, serving the single-page app's HTML for any path.
 */
@ApplicationScoped
public class ApiNotFoundRoute {

    /** After the REST routes, before the servlet's default route. */
    static final int ORDER = 10_000;

    void install(@Observes Router router, ObjectMapper json) {
        router.route("/api/*").order(ORDER).handler(ctx -> {
            String body;
            try {
                body = json.writeValueAsString(new Problem(
                        "urn:sweeplab:problem:not-found",
                        "Not found",
                        404,
                        "no API resource at " + ctx.normalizedPath(),
                        null,
                        null));
            } catch (JsonProcessingException e) {
                body = "{\"status\":404}";
            }
            ctx.response()
                    .setStatusCode(404)
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(body);
        });
    }
}
