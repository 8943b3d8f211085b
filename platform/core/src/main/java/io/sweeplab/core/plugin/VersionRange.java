package io.sweeplab.core.plugin;

/**
 * A version range in Maven's notation, as a plugin descriptor's {@code requires.api} gives it: {@code [1,2)},
 * {@code [1.0,1.5]}, {@code [1,)} or a bare version {@code 1.2} meaning "at least 1.2".
 */
record VersionRange(Version lower, boolean lowerInclusive, Version upper, boolean upperInclusive, String text) {

    static VersionRange parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty version range");
        }
        char first = t.charAt(0);
        if (first != '[' && first != '(') {
            return new VersionRange(Version.parse(t), true, null, false, t);
        }
        char last = t.charAt(t.length() - 1);
        if (last != ']' && last != ')') {
            throw new IllegalArgumentException("'" + t + "' does not end with ] or )");
        }
        String inner = t.substring(1, t.length() - 1);
        int comma = inner.indexOf(',');
        if (comma < 0) {
            if (first != '[' || last != ']') {
                throw new IllegalArgumentException("'" + t + "': an exact version is written [1.0]");
            }
            Version exact = Version.parse(inner);
            return new VersionRange(exact, true, exact, true, t);
        }
        if (inner.indexOf(',', comma + 1) >= 0) {
            throw new IllegalArgumentException("'" + t + "' has more than one comma");
        }
        String lo = inner.substring(0, comma).trim();
        String hi = inner.substring(comma + 1).trim();
        Version lower = lo.isEmpty() ? null : Version.parse(lo);
        Version upper = hi.isEmpty() ? null : Version.parse(hi);
        if (lower != null && upper != null && lower.compareTo(upper) > 0) {
            throw new IllegalArgumentException("'" + t + "': lower bound above upper bound");
        }
        return new VersionRange(lower, first == '[', upper, last == ']', t);
    }

    boolean contains(Version v) {
        if (lower != null) {
            int c = v.compareTo(lower);
            if (c < 0 || (c == 0 && !lowerInclusive)) {
                return false;
            }
        }
        if (upper != null) {
            int c = v.compareTo(upper);
            return c < 0 || (c == 0 && upperInclusive);
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
