package io.sweeplab.app.worker;

import io.sweeplab.app.problem.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Remote workers authenticate with {@code Authorization: Bearer <sweeplab.worker.token>} on every call of the
 * worker protocol ({@code /api/worker/...}); without a configured token the protocol is closed.
 */
public class WorkerTokenFilter {

    private final Optional<String> token;

    public WorkerTokenFilter(@ConfigProperty(name = "sweeplab.worker.token") Optional<String> token) {
        this.token = token.filter(t -> !t.isBlank());
    }

    @ServerRequestFilter
    public Response check(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/api/worker/")) {
            return null;
        }
        if (token.isEmpty()) {
            return refuse(503, "remote workers are disabled on this platform: set sweeplab.worker.token");
        }
        String given = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        byte[] expected = ("Bearer " + token.get()).getBytes(StandardCharsets.UTF_8);
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected)) {
            return refuse(401, "a worker token is required: Authorization: Bearer <sweeplab.worker.token>");
        }
        return null;
    }

    private static Response refuse(int status, String detail) {
        return Response.fromResponse(Problem.response(status, "unauthorized", "Unauthorized", detail, null))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sweeplab-workers\"")
                .build();
    }
}
