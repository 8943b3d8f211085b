package io.sweeplab.core.launch;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them on command lines and in configuration: {@code 0}, {@code 90s}, {@code 2m}. */
public final class Durations {

    private static final Pattern TEXT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?");

    private Durations() {}

    /**
     * {@code 0}, or a whole number with a unit: {@code 500ms}, {@code 90s}, {@code 2m}, {@code 1h}, {@code 2d}.
     *
     * @param what how the value is named in the message of a bad one, e.g. {@code --retry-for}
     * @throws IllegalArgumentException naming {@code what}
     */
    public static Duration parse(String text, String what) {
        Matcher m = TEXT.matcher(text == null ? "" : text.strip());
        if (!m.matches() || (m.group(2) == null && !m.group(1).matches("0+"))) {
            throw new IllegalArgumentException(
                    what + " must be 0 or a whole number with ms, s, m, h or d, for example 90s; not " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** The shortest text {@link #parse} reads back as {@code d} (whole seconds or milliseconds). */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
