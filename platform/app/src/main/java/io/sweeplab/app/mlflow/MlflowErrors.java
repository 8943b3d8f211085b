package io.sweeplab.app.mlflow;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.error.InvalidInputException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;

/**
 * Errors as an MLflow server sends them, which MLflow clients read: {@code {"error_code": ..., "message": ...}} with
 * HTTP 400 (bad input, a taken name), 403 or 404.
 */
final class MlflowErrors {

    private MlflowErrors() {}

    static Response of(int status, String code, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("error_code", code);
        body.put("message", message);
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body.toString())
                .build();
    }

    static Response invalid(InvalidInputException e) {
        return of(
                400,
                "INVALID_PARAMETER_VALUE",
                e.errors().stream().map(MlflowErrors::text).collect(Collectors.joining("; ")));
    }

    private static String text(FieldError e) {
        return e.message().contains("'" + e.field() + "'") || e.message().startsWith("Invalid")
                ? e.message()
                : e.field() + ": " + e.message();
    }
}
