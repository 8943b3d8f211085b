package io.sweeplab.app.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as {@code application/problem+json}; bad input is a 4xx naming the field, never a 500. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalid(InvalidInputException e) {
        return Problem.response(400, "invalid-input", "Invalid input", e.getMessage(), e.errors());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problem.response(404, "not-found", "Not found", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response forbidden(io.sweeplab.core.error.ForbiddenException e) {
        return Problem.response(403, "forbidden", "Forbidden", e.getMessage(), null);
    }

    /** A role check of a resource ({@code @RolesAllowed}) that the caller does not pass. */
    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e) {
        return Problem.response(
                403,
                "forbidden",
                "Forbidden",
                "this needs another role (an administrator, a user rather than a worker token, or the reverse)",
                null);
    }

    @ServerExceptionMapper
    public Response unauthorized(io.quarkus.security.UnauthorizedException e) {
        return Response.fromResponse(Problem.response(
                        401,
                        "unauthorized",
                        "Unauthorized",
                        "sign in: send Authorization: Bearer <token>, or HTTP basic with a user name and password or token",
                        null))
                .header("WWW-Authenticate", "Bearer realm=\"sweeplab\"")
                .build();
    }

    @ServerExceptionMapper
    public Response tooLarge(io.sweeplab.core.error.PayloadTooLargeException e) {
        return Problem.response(
                413,
                "payload-too-large",
                "Payload too large",
                e.getMessage(),
                e.field() == null ? null : List.of(new FieldError(e.field(), e.getMessage())));
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return Problem.response(
                409,
                "conflict",
                "Conflict",
                e.getMessage(),
                e.field() == null ? null : List.of(new FieldError(e.field(), e.getMessage())));
    }

    /** Quarkus maps this subtype itself (to an empty 400); a mapper for the exact type takes precedence. */
    @ServerExceptionMapper
    public Response mismatch(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        FieldError error = JsonErrors.fieldError(e, "");
        if (JsonErrors.malformed(e)) {
            String where = e.getLocation() == null || e.getLocation().getLineNr() < 0
                    ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")";
            return Problem.response(
                    400,
                    "malformed-json",
                    "Malformed JSON",
                    "the body is not valid JSON" + JsonErrors.reason(e) + where,
                    List.of(error));
        }
        return Problem.response(
                400, "invalid-input", "Invalid input", error.field() + ": " + error.message(), List.of(error));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        Response.Status.Family family = Response.Status.Family.familyOf(status);
        if (family == Response.Status.Family.SERVER_ERROR) {
            return unexpected(e);
        }
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        String detail = status == 404 ? "no such resource" : e.getMessage();
        return Problem.response(
                status, reason.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'), reason, detail, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "SWL-API-500 unexpected error %s", id);
        return Problem.response(
                500,
                "internal",
                "Internal error",
                "an unexpected error occurred; the server log has the details under " + id,
                null);
    }
}
