package io.sweeplab.app.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.sweeplab.core.error.FieldError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Jackson's reading errors as the field they concern and what is wrong with it, in the client's words. Jackson's
 * own messages name Java classes and reader settings, so they are never passed on.
 */
public final class JsonErrors {

    private static final Pattern UNEXPECTED = Pattern.compile("Unexpected character \\((?:'(.)' )?\\(code (\\d+)\\)");
    private static final Pattern UNRECOGNIZED = Pattern.compile("(?:Unrecognized|Non-standard) token '([^']{0,40})");
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");

    private JsonErrors() {}

    /** Whether the text was not JSON at all (as opposed to JSON of the wrong shape). */
    public static boolean malformed(JsonProcessingException e) {
        JsonProcessingException c = cause(e);
        if (c instanceof InputCoercionException || duplicate(c) != null) {
            return false;
        }
        return c instanceof com.fasterxml.jackson.core.JsonParseException
                || c instanceof StreamConstraintsException
                || trailing(c)
                || !(c instanceof JsonMappingException);
    }

    /** The reader's error under the mapper's wrapping, which adds the path but hides what went wrong. */
    private static JsonProcessingException cause(JsonProcessingException e) {
        JsonProcessingException c = e;
        while (c.getCause() instanceof JsonProcessingException inner && inner != c) {
            c = inner;
        }
        return c;
    }

    /**
     * What is wrong with a text that is not JSON, in words to follow "the body is not valid JSON", for example
     * {@code : it ends before the JSON value is complete}; empty when there is nothing more to say.
     */
    public static String reason(JsonProcessingException error) {
        JsonProcessingException e = cause(error);
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            if (m.contains("nesting depth")) {
                return ": it is nested too deeply";
            }
            if (m.contains("Number value length")) {
                return ": it has a number with too many digits";
            }
            if (m.contains("String value length")) {
                return ": it has a text value that is too long";
            }
            if (m.contains("Name length")) {
                return ": it has a field name that is too long";
            }
            return ": it is too large";
        }
        if (trailing(e)) {
            return ": it has more after the first JSON value";
        }
        if (m.contains("end-of-input")) {
            return ": it ends before the JSON value is complete";
        }
        if (m.contains("Invalid UTF-8") || m.contains("Invalid UTF-32") || m.contains("surrogate")) {
            return ": it is not valid UTF-8 text";
        }
        if (m.contains("Illegal unquoted character")) {
            return ": it has a control character inside a string (write it escaped, for example \\n)";
        }
        if (m.contains("Illegal character") || m.contains("Unrecognized character escape")) {
            return ": it has an invalid escape or character in a string";
        }
        if (m.contains("Leading zeroes") || m.contains("Invalid numeric value")) {
            return ": it has a malformed number";
        }
        Matcher u = UNEXPECTED.matcher(m);
        if (u.find()) {
            int code = Integer.parseInt(u.group(2));
            return ": it has an unexpected character "
                    + (code >= 32 && code < 127 ? "'" + (char) code + "'" : String.format("U+%04X", code));
        }
        Matcher w = UNRECOGNIZED.matcher(m);
        if (w.find()) {
            return ": it has the unknown word '" + w.group(1)
                    + "' (text must be quoted; NaN and Infinity are not JSON)";
        }
        return "";
    }

    /** @param prefix put before the field path, for example {@code base.} */
    public static FieldError fieldError(JsonProcessingException e, String prefix) {
        JsonProcessingException c = cause(e);
        String mapped = e instanceof JsonMappingException jm ? path(jm.getPath()) : "";
        String dup = duplicate(c);
        if (dup != null) {
            return new FieldError(join(prefix, parserPath(c, dup)), "is given more than once");
        }
        if (c instanceof InputCoercionException) {
            return new FieldError(join(prefix, mapped.isEmpty() ? parserPath(c, null) : mapped), "is out of range");
        }
        if (malformed(e)) {
            return new FieldError(prefix.isEmpty() ? "body" : prefix.replaceAll("\\.$", ""), "is not valid JSON");
        }
        String message;
        if (e instanceof StrictJson.NulCharacter) {
            message = "must not contain NUL characters (\\u0000)";
        } else if (e instanceof UnrecognizedPropertyException u) {
            Collection<Object> known = u.getKnownPropertyIds();
            message = "unknown field"
                    + (known == null || known.isEmpty()
                            ? ""
                            : "; known: "
                                    + known.stream()
                                            .map(String::valueOf)
                                            .sorted()
                                            .collect(Collectors.joining(", ")));
        } else if (e instanceof InvalidFormatException f && f.getTargetType() != null) {
            message = "must be " + expected(f.getTargetType()) + ", not " + describe(f.getValue());
        } else if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            message = "must be " + expected(mi.getTargetType());
        } else {
            message = "has a value of the wrong type or form";
        }
        return new FieldError(join(prefix, mapped), message);
    }

    private static String join(String prefix, String field) {
        String full = prefix + field;
        return full.isEmpty() ? "body" : full.replaceAll("\\.$", "");
    }

    private static boolean trailing(JsonProcessingException e) {
        return e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token");
    }

    private static String duplicate(JsonProcessingException e) {
        if (e.getOriginalMessage() == null) {
            return null;
        }
        Matcher d = DUPLICATE.matcher(e.getOriginalMessage());
        return d.find() ? d.group(1) : null;
    }

    /** Where the parser was: the enclosing fields, then {@code last} or the current field. */
    private static String parserPath(JsonProcessingException e, String last) {
        if (!(e.getProcessor() instanceof JsonParser p)) {
            return last == null ? "" : last;
        }
        List<String> parts = new ArrayList<>();
        JsonStreamContext c = p.getParsingContext();
        if (last != null) {
            parts.add(last);
            c = c == null ? null : c.getParent();
        }
        for (; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.add(c.getCurrentName());
            } else if (c.inArray()) {
                parts.add("[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
        }
        Collections.reverse(parts);
        return String.join(".", parts).replace(".[", "[");
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
                    + Arrays.stream(type.getEnumConstants())
                            .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", "));
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
