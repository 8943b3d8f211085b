package io.sweeplab.app.mlflow;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * MLflow's web UI and some clients call {@code /ajax-api/2.0/...}; it is the same API as {@code /api/2.0/...}, so
 * such a request is routed again under {@code /api}, where authentication, body limits and roles apply as to the
 * rest of the API.
 */
@ApplicationScoped
public class AjaxApiRoute {

    static final String PREFIX = "/ajax-api/2.0/";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 50).handler(ctx -> {
            String path = ctx.normalizedPath();
            if (path.startsWith(PREFIX)
                    && (path.startsWith(PREFIX + "mlflow/") || path.startsWith(PREFIX + "mlflow-artifacts/"))) {
                String query = ctx.request().query();
                ctx.reroute("/api/2.0/" + path.substring(PREFIX.length()) + (query == null ? "" : "?" + query));
            } else {
                ctx.next();
            }
        });
    }
}
