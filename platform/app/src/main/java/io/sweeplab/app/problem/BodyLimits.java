package io.sweeplab.app.problem;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Request bodies are bounded before anything reads them: a worker's checkpoint upload by
 * {@code sweeplab.worker.max-checkpoint-mb} (the HTTP layer's own limit, {@code quarkus.http.limits.max-body-size},
 * is set to fit it), a plugin jar's upload by {@code sweeplab.plugins.max-jar-mb}, and every other body, JSON and the dashboard's alike, by {@code sweeplab.http.max-body-kb}.
 * A body over its limit is a 413, and a body of unknown length ({@code Transfer-Encoding: chunked}) outside the
 * upload is a 411, so no request can make the platform buffer more than the limit. HTTP/2, where a body needs neither
 * header, is off ({@code quarkus.http.http2=false}); put a proxy in front for HTTP/2 and TLS.
 */
@ApplicationScoped
public class BodyLimits {

    /** Before authentication and every other route. */
    static final int ORDER = Integer.MIN_VALUE + 100;

    private static final Pattern CHECKPOINT = Pattern.compile("/api/worker/jobs/[^/]+/[^/]+/checkpoints/[^/]+");
    private static final Pattern ARTIFACT = Pattern.compile("/api/worker/jobs/[^/]+/[^/]+/artifacts/[^/]+");
    /** A file an MLflow client uploads through the artifact proxy. */
    private static final String MLFLOW_FILE = "/api/2.0/mlflow-artifacts/artifacts/";

    private final long maxBody;
    private final long maxCheckpoint;
    private final long maxArtifact;
    private final long maxJar;
    private final long maxMlflowFile;

    private final com.fasterxml.jackson.databind.ObjectMapper json;

    public BodyLimits(
            com.fasterxml.jackson.databind.ObjectMapper json,
            @ConfigProperty(name = "sweeplab.http.max-body-kb", defaultValue = "1024") long maxBodyKb,
            @ConfigProperty(name = "sweeplab.worker.max-checkpoint-mb", defaultValue = "512") long maxCheckpointMb,
            @ConfigProperty(name = "sweeplab.worker.max-artifact-mb", defaultValue = "8") long maxArtifactMb,
            @ConfigProperty(name = "sweeplab.plugins.max-jar-mb", defaultValue = "64") long maxJarMb,
            @ConfigProperty(name = "sweeplab.mlflow.max-artifact-mb", defaultValue = "100") long maxMlflowFileMb) {
        this.maxMlflowFile = maxMlflowFileMb << 20;
        this.maxJar = maxJarMb << 20;
        this.json = json;
        this.maxBody = maxBodyKb << 10;
        this.maxCheckpoint = maxCheckpointMb << 20;
        this.maxArtifact = maxArtifactMb << 20;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    void check(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        boolean upload = CHECKPOINT.matcher(path).matches();
        boolean jar = path.equals("/api/plugins") && ctx.request().method() == io.vertx.core.http.HttpMethod.POST;
        boolean mlflowFile =
                path.startsWith(MLFLOW_FILE) && ctx.request().method() == io.vertx.core.http.HttpMethod.PUT;
        long limit = upload
                ? maxCheckpoint
                : ARTIFACT.matcher(path).matches() ? maxArtifact : jar ? maxJar : mlflowFile ? maxMlflowFile : maxBody;
        String key = upload
                ? "sweeplab.worker.max-checkpoint-mb"
                : mlflowFile
                        ? "sweeplab.mlflow.max-artifact-mb"
                        : limit == maxArtifact
                                ? "sweeplab.worker.max-artifact-mb"
                                : jar ? "sweeplab.plugins.max-jar-mb" : "sweeplab.http.max-body-kb";
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            // HTTP/1.1 only (quarkus.http.http2=false): a body comes with a Content-Length or chunked
            if (!upload && ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
                refuse(ctx, 411, "send the body with a Content-Length");
                return;
            }
        } else {
            long n;
            try {
                n = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0) {
                refuse(ctx, 400, "Content-Length is not a number of bytes");
                return;
            }
            if (n > limit) {
                refuse(ctx, 413, "the body may be at most " + (limit >> 10) + " KB (" + key + ")");
                return;
            }
        }
        ctx.next();
    }

    private void refuse(RoutingContext ctx, int status, String detail) {
        ctx.response().putHeader("Connection", "close");
        HttpLayerProblems.send(ctx, json, status, detail, "body");
    }
}
