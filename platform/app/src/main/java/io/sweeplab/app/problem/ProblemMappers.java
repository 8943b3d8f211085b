package io.sweeplab.app.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
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
        boolean trailing =
                e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token");
        if (e instanceof JsonParseException || trailing || !(e instanceof JsonMappingException m)) {
            return Problem.response(
                    400,
                    "malformed-json",
                    "Malformed JSON",
                    "the body is not valid JSON: " + e.getOriginalMessage() + location(e),
                    List.of(new FieldError("body", "is not valid JSON")));
        }
        String field = path(m.getPath());
        String message;
        if (e instanceof UnrecognizedPropertyException u) {
            Collection<Object> known = u.getKnownPropertyIds();
            message = "unknown field"
                    + (known == null || known.isEmpty()
                            ? ""
                            : "; known: "
                                    + known.stream()
                                            .map(String::valueOf)
                                            .sorted()
                                            .collect(Collectors.joining(", ")));
        } else if (e instanceof InvalidFormatException f) {
            message = "must be " + expected(f.getTargetType()) + ", not " + describe(f.getValue());
        } else if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            message = "must be " + expected(mi.getTargetType());
        } else {
            message = "cannot be read: " + e.getOriginalMessage();
        }
        if (field.isEmpty()) {
            field = "body";
        }
        return Problem.response(
                400, "invalid-input", "Invalid input", field + ": " + message, List.of(new FieldError(field, message)));
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

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(java.util.Locale.ROOT);
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "an object";
    }

    private static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
    }
}
