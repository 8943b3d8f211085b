package io.sweeplab.plugin.api;

/** The type of one parameter, as the REST API spells it in lower case. */
public enum ParamType {
    /** A whole number; {@code min} and {@code max} bound it. */
    INT,
    /** A real number; {@code min} and {@code max} bound it. */
    DOUBLE,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** Free text. */
    STRING,
    /** One of a fixed list of strings ({@code choices}). */
    CHOICE,
    /** A list of whole numbers (for example filters per convolution); {@code min} and {@code max} bound each element. */
    INT_LIST;

    /** The name used in JSON and in the dashboard, for example {@code int_list}. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
