package io.sweeplab.app.problem;

import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;

/** Checks shared by resources: a present body, a well-formed path id. */
public final class Bodies {
    private Bodies() {}

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
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name, "must be an " + name + " id");
        }
    }

    /** Parses a numeric id from the path; anything else cannot name an object, so it is a 404. */
    public static long pathId(String name, String value) {
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new NotFoundException("no object with " + name + " '" + value + "'");
    }
}
