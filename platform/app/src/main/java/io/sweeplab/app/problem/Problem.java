package io.sweeplab.app.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sweeplab.core.error.FieldError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem document ({@code application/problem+json}). {@code field} names the first offending field
 * and {@code errors} lists every one, so a client can mark each at its input.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

    public static Response response(int status, String kind, String title, String detail, List<FieldError> errors) {
        String field = errors == null || errors.isEmpty() ? null : errors.get(0).field();
        Problem p = new Problem(
                "urn:sweeplab:problem:" + kind,
                title,
                status,
                detail,
                field,
                errors == null || errors.isEmpty() ? null : errors);
        return Response.status(status).type(PROBLEM_JSON).entity(p).build();
    }
}
