package io.sweeplab.app.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.sweeplab.core.error.FieldError;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** Jackson's reading errors as the field they concern and what is wrong with it, in words. */
public final class JsonErrors {

    private JsonErrors() {}

    /** Whether the text was not JSON at all (as opposed to JSON of the wrong shape). */
    public static boolean malformed(JsonProcessingException e) {
        boolean trailing =
                e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token");
        return e instanceof JsonParseException || trailing || !(e instanceof JsonMappingException);
    }

    /** @param prefix put before the field path, for example {@code base.} */
    public static FieldError fieldError(JsonProcessingException e, String prefix) {
        if (malformed(e)) {
            return new FieldError(prefix.isEmpty() ? "body" : prefix.replaceAll("\\.$", ""), "is not valid JSON");
        }
        JsonMappingException m = (JsonMappingException) e;
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
        String full = prefix + field;
        return new FieldError(full.isEmpty() ? "body" : full.replaceAll("\\.$", ""), message);
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
        return "an object";
    }

    private static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
