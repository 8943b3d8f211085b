package io.sweeplab.core.plugin;

import java.util.Arrays;
import java.util.regex.Pattern;

/** A dotted numeric version such as {@code 1}, {@code 1.0} or {@code 1.2.3}; missing parts compare as zero. */
record Version(int[] parts) implements Comparable<Version> {

    private static final Pattern FORMAT = Pattern.compile("\\d{1,9}(\\.\\d{1,9}){0,3}");

    static Version parse(String text) {
        String t = text == null ? "" : text.trim();
        if (!FORMAT.matcher(t).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a version like 1 or 1.2 or 1.2.3");
        }
        return new Version(
                Arrays.stream(t.split("\\.")).mapToInt(Integer::parseInt).toArray());
    }

    @Override
    public int compareTo(Version o) {
        for (int i = 0; i < Math.max(parts.length, o.parts.length); i++) {
            int a = i < parts.length ? parts[i] : 0;
            int b = i < o.parts.length ? o.parts[i] : 0;
            if (a != b) {
                return Integer.compare(a, b);
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        int[] trimmed = parts;
        int n = trimmed.length;
        while (n > 1 && trimmed[n - 1] == 0) {
            n--;
        }
        return Arrays.hashCode(Arrays.copyOf(trimmed, n));
    }

    @Override
    public String toString() {
        return String.join(".", Arrays.stream(parts).mapToObj(Integer::toString).toList());
    }
}
