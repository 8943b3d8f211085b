package io.sweeplab.app.problem;

import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;

/** Checks shared by resources: a present body, a well-formed path id. */
public final class Bodies {
    private static final java.util.regex.Pattern CANONICAL = java.util.regex.Pattern.compile("0|[1-9][0-9]{0,18}");

    private Bodies() {}

    /**
     * Whether a number is written the one way the API writes it: ASCII digits, no sign, no leading zero. Java's
     * parsers also take {@code +1}, {@code 01} and the digits of other scripts, which would make many names for one
     * object.
     */
    public static boolean canonical(String value) {
        return value != null && CANONICAL.matcher(value).matches();
    }

    public static <T> T require(T body) {
        if (body == null) {
            throw new InvalidInputException("body", "a JSON object is required");
        }
        return body;
    }

    /** Parses an optional numeric id from a query parameter; anything else is a 400 naming it. */
    public static Long queryId(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            if (canonical(value)) {
                return Long.parseLong(value);
            }
        } catch (NumberFormatException e) {
            // fall through: too large
        }
        throw new InvalidInputException(name, "must be an " + name + " id");
    }

    /** Parses a numeric id from the path; anything else cannot name an object, so it is a 404. */
    public static long pathId(String name, String value) {
        try {
            long id = canonical(value) ? Long.parseLong(value) : 0;
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new NotFoundException("no object with " + name + " '" + value + "'");
    }
}
