package io.sweeplab.core.external;

import io.sweeplab.core.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * MLflow's search filter and order-by grammar, as {@code mlflow/utils/search_utils.py} reads them: comparisons joined
 * by {@code AND} (no {@code OR}), each {@code <entity>.<key> <comparator> <value>}, where the entity is
 * {@code metrics}, {@code params}, {@code tags}, {@code attributes} or {@code datasets} (and their singular and other
 * spellings), the key may be quoted with backticks or double quotes, strings are single- or double-quoted, and lists
 * are parenthesised: {@code metrics.acc > 0.9 AND params.model = 'cnn' AND tags."my tag" LIKE 'a%' AND
 * attributes.status IN ('FINISHED', 'FAILED')}. A bare identifier ({@code name}, {@code status}) is an attribute.
 */
public final class SearchFilter {

    public enum Entity {
        METRIC,
        PARAM,
        TAG,
        ATTRIBUTE,
        DATASET
    }

    /**
     * One comparison.
     *
     * @param op {@code =, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL}
     * @param value a {@link Double} or {@link String}, a {@code List<String>} for IN, null for IS (NOT) NULL
     */
    public record Clause(Entity entity, String key, String op, Object value) {}

    /** One term of an order-by. */
    public record Order(Entity entity, String key, boolean ascending) {}

    private static final Map<String, Entity> ENTITIES = Map.ofEntries(
            Map.entry("metric", Entity.METRIC),
            Map.entry("metrics", Entity.METRIC),
            Map.entry("param", Entity.PARAM),
            Map.entry("params", Entity.PARAM),
            Map.entry("parameter", Entity.PARAM),
            Map.entry("parameters", Entity.PARAM),
            Map.entry("tag", Entity.TAG),
            Map.entry("tags", Entity.TAG),
            Map.entry("attribute", Entity.ATTRIBUTE),
            Map.entry("attributes", Entity.ATTRIBUTE),
            Map.entry("attr", Entity.ATTRIBUTE),
            Map.entry("run", Entity.ATTRIBUTE),
            Map.entry("dataset", Entity.DATASET),
            Map.entry("datasets", Entity.DATASET));

    private static final Set<String> NUMERIC_OPS = Set.of("=", "!=", "<", "<=", ">", ">=");
    private static final Set<String> STRING_OPS =
            Set.of("=", "!=", "LIKE", "ILIKE", "IN", "NOT IN", "IS NULL", "IS NOT NULL");

    private final String field;
    private final String text;
    private int pos;

    private SearchFilter(String field, String text) {
        this.field = field;
        this.text = text;
    }

    /**
     * @param numericAttributes the attributes compared as numbers (start_time, ...); the others are text
     * @throws InvalidInputException naming {@code field} for anything the grammar does not allow
     */
    public static List<Clause> parse(String field, String filter, Set<String> numericAttributes) {
        List<Clause> out = new ArrayList<>();
        if (filter == null || filter.isBlank()) {
            return out;
        }
        SearchFilter p = new SearchFilter(field, filter);
        while (true) {
            out.add(p.clause(numericAttributes));
            p.space();
            if (p.pos >= p.text.length()) {
                return out;
            }
            if (!p.keyword("AND")) {
                throw p.error("expected AND (MLflow filters join comparisons with AND only)");
            }
        }
    }

    /** An order-by list: {@code ["metrics.acc DESC", "attributes.start_time"]}. */
    public static List<Order> orderBy(String field, List<String> terms) {
        List<Order> out = new ArrayList<>();
        for (String term : terms == null ? List.<String>of() : terms) {
            SearchFilter p = new SearchFilter(field, term);
            String[] id = p.identifier();
            Entity entity = entity(p, id);
            boolean asc = true;
            p.space();
            if (p.keyword("DESC")) {
                asc = false;
            } else {
                p.keyword("ASC");
            }
            p.space();
            if (p.pos < p.text.length()) {
                throw p.error("expected ASC or DESC after the identifier");
            }
            out.add(new Order(entity, id[1], asc));
        }
        return out;
    }

    private Clause clause(Set<String> numericAttributes) {
        String[] id = identifier();
        Entity entity = entity(this, id);
        String key = id[1];
        String op = comparator();
        boolean numeric = entity == Entity.METRIC
                || (entity == Entity.ATTRIBUTE && numericAttributes.contains(key.toLowerCase(Locale.ROOT)));
        if (!(numeric ? NUMERIC_OPS : STRING_OPS).contains(op)) {
            throw error("the comparator " + op + " is not allowed for " + (numeric ? "numbers" : "text") + " ("
                    + String.join(", ", numeric ? List.of("=", "!=", "<", "<=", ">", ">=") : STRING_OPS) + ")");
        }
        Object value;
        if (op.startsWith("IS")) {
            value = null;
        } else if (op.endsWith("IN")) {
            value = list();
        } else if (numeric) {
            value = number();
        } else {
            value = string();
        }
        return new Clause(entity, key, op, value);
    }

    private static Entity entity(SearchFilter p, String[] id) {
        if (id[0] == null) {
            return Entity.ATTRIBUTE;
        }
        Entity e = ENTITIES.get(id[0].toLowerCase(Locale.ROOT));
        if (e == null) {
            throw p.error("unknown entity '" + id[0] + "': use metrics., params., tags., attributes. or datasets.");
        }
        return e;
    }

    /** {entity or null, key}. */
    private String[] identifier() {
        space();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (pos == start) {
            throw error("expected an identifier such as metrics.acc or params.model");
        }
        String first = text.substring(start, pos);
        if (pos >= text.length() || text.charAt(pos) != '.') {
            return new String[] {null, first};
        }
        pos++;
        String key;
        if (pos < text.length() && (text.charAt(pos) == '`' || text.charAt(pos) == '"')) {
            key = quoted(text.charAt(pos));
        } else {
            int k = pos;
            while (pos < text.length()
                    && !Character.isWhitespace(text.charAt(pos))
                    && "=!<>(),".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            key = text.substring(k, pos);
        }
        if (key.isEmpty()) {
            throw error("expected a key after '" + first + ".'");
        }
        return new String[] {first, key};
    }

    private String comparator() {
        space();
        for (String op : List.of("<=", ">=", "!=", "<>", "=", "<", ">")) {
            if (text.startsWith(op, pos)) {
                pos += op.length();
                return op.equals("<>") ? "!=" : op;
            }
        }
        if (keyword("LIKE")) {
            return "LIKE";
        }
        if (keyword("ILIKE")) {
            return "ILIKE";
        }
        if (keyword("IN")) {
            return "IN";
        }
        if (keyword("NOT")) {
            space();
            if (keyword("IN")) {
                return "NOT IN";
            }
            throw error("expected IN after NOT");
        }
        if (keyword("IS")) {
            space();
            boolean not = keyword("NOT");
            space();
            if (!keyword("NULL")) {
                throw error("expected NULL after IS");
            }
            return not ? "IS NOT NULL" : "IS NULL";
        }
        throw error("expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL)");
    }

    private Double number() {
        space();
        int start = pos;
        while (pos < text.length() && "+-.0123456789eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        try {
            return Double.valueOf(text.substring(start, pos));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("expected a number");
        }
    }

    private String string() {
        space();
        if (pos < text.length() && (text.charAt(pos) == '\'' || text.charAt(pos) == '"')) {
            return quoted(text.charAt(pos));
        }
        throw error("expected a quoted string ('...')");
    }

    private List<String> list() {
        space();
        if (pos >= text.length() || text.charAt(pos) != '(') {
            throw error("expected a parenthesised list ('a', 'b')");
        }
        pos++;
        List<String> values = new ArrayList<>();
        while (true) {
            values.add(string());
            space();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
            } else if (pos < text.length() && text.charAt(pos) == ')') {
                pos++;
                return values;
            } else {
                throw error("expected , or ) in the list");
            }
        }
    }

    private String quoted(char quote) {
        int start = ++pos;
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\' && pos + 1 < text.length()) {
                sb.append(text.charAt(pos + 1));
                pos += 2;
            } else if (c == quote) {
                if (pos + 1 < text.length() && text.charAt(pos + 1) == quote) {
                    sb.append(quote);
                    pos += 2;
                } else {
                    pos++;
                    return sb.toString();
                }
            } else {
                sb.append(c);
                pos++;
            }
        }
        pos = start - 1;
        throw error("unterminated quote " + quote);
    }

    private boolean keyword(String word) {
        int end = pos + word.length();
        if (text.regionMatches(true, pos, word, 0, word.length())
                && (end >= text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
            pos = end;
            return true;
        }
        return false;
    }

    private void space() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private InvalidInputException error(String message) {
        return new InvalidInputException(field, message + " at position " + pos + " of '" + text + "'");
    }
}
