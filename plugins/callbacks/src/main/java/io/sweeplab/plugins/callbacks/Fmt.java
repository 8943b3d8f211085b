package io.sweeplab.plugins.callbacks;

import java.util.Locale;

/** Numbers in stop reasons: four significant decimals, locale-independent. */
final class Fmt {
    private Fmt() {}

    static String num(double d) {
        return String.format(Locale.ROOT, "%.4f", d);
    }
}
