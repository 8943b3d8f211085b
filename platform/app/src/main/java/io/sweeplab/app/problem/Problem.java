package io.sweeplab.app.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sweeplab.core.error.FieldError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 9457 problem document ({@code application/problem+json}). {@code field} names the first offending field
 * and {@code errors} lists every one, so a client can mark each at its input.
 *
 * <p>A problem stays short whatever the request was: at most {@link #MAX_ERRORS} errors (then one saying how many
 * more), and no text longer than {@link #MAX_TEXT} characters, so input echoed in a message cannot make it large.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);
    static final int MAX_ERRORS = 20;
    static final int MAX_TEXT = 300;

    public Problem {
        detail = shorten(detail);
        field = shorten(field);
        if (errors != null) {
            List<FieldError> kept = new ArrayList<>();
            for (FieldError e : errors.subList(0, Math.min(errors.size(), MAX_ERRORS))) {
                kept.add(new FieldError(shorten(e.field()), shorten(e.message())));
            }
            if (errors.size() > MAX_ERRORS) {
                kept.add(new FieldError("body", "and " + (errors.size() - MAX_ERRORS) + " more errors"));
            }
            errors = List.copyOf(kept);
        }
    }

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

    static String shorten(String text) {
        if (text == null || text.length() <= MAX_TEXT) {
            return text;
        }
        int cut = MAX_TEXT - 30;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "... (" + text.length() + " characters)";
    }
}
