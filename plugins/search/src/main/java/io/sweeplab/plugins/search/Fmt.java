package io.sweeplab.plugins.search;

import java.util.Locale;

/** Numbers in stop reasons: three decimals, or three significant digits for small values; locale-independent. */
final class Fmt {
    private Fmt() {}

    static String num(double d) {
        return Math.abs(d) >= 0.01 || d == 0 || !Double.isFinite(d)
                ? String.format(Locale.ROOT, "%.3f", d)
                : String.format(Locale.ROOT, "%.3g", d);
    }
}
