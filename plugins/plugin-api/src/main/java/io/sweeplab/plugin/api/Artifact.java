package io.sweeplab.plugin.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Visualizer} produces. The dashboard draws each kind with one renderer, never by the plugin that made
 * it: {@link Tensors} as image grids or labelled heatmaps, {@link Table} as a table, {@link Series} as a line chart,
 * {@link Image} as a picture, {@link Scalars} as named values. It can compare an artifact of the same name across the
 * runs of a sweep.
 *
 * <p>New kinds are added in minor API versions; a dashboard that meets a kind it does not know shows the artifact's
 * attributes and a download link.
 */
public sealed interface Artifact {

    /** What an artifact's name may be: 1 to 64 lower-case letters, digits, {@code -} and {@code _}. */
    java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /** A file-safe identifier, unique within a run: lower-case letters, digits, {@code -} and {@code _}. */
    String name();

    /** A title for people. */
    String title();

    /** Extra facts the dashboard shows beside the artifact, for example which test images were used. */
    Map<String, String> attributes();

    /**
     * Named arrays of numbers with named axes (see {@link Tensor}), drawn as image grids (activation maps, kernels,
     * test images) or labelled heatmaps (a confusion matrix).
     *
     * @param tensors the arrays, in the order they should be shown; tensors that share their first axis are drawn as
     *     the columns of one grid whose rows are that axis
     */
    record Tensors(String name, String title, Map<String, String> attributes, List<Tensor> tensors)
            implements Artifact {
        public Tensors {
            checkName(name);
            Objects.requireNonNull(title, "title");
            attributes = ordered(attributes);
            tensors = List.copyOf(tensors);
        }
    }

    /**
     * Rows and columns of plain values (strings, numbers, booleans, or null), for example a model summary or
     * per-class accuracy; optionally drawn also as a bar chart of one numeric column by the first column.
     *
     * @param columns the column headings
     * @param rows each row has one value per column
     * @param barColumn the column to draw as bars over the first column's values; null for no chart
     * @since 1.1 {@code barColumn}
     */
    record Table(
            String name,
            String title,
            Map<String, String> attributes,
            List<String> columns,
            List<List<Object>> rows,
            String barColumn)
            implements Artifact {
        public Table {
            checkName(name);
            Objects.requireNonNull(title, "title");
            attributes = ordered(attributes);
            columns = List.copyOf(columns);
            if (barColumn != null && columns.indexOf(barColumn) < 1) {
                throw new IllegalArgumentException(
                        "bar column '" + barColumn + "' must be one of the columns after the first " + columns);
            }
            List<List<Object>> copied = new ArrayList<>(rows.size());
            for (List<Object> row : rows) {
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException(
                            "row has " + row.size() + " values for " + columns.size() + " columns");
                }
                for (Object v : row) {
                    if (v != null && !(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                        throw new IllegalArgumentException("a table holds strings, numbers and booleans, not "
                                + v.getClass().getName());
                    }
                }
                copied.add(Collections.unmodifiableList(new ArrayList<>(row)));
            }
            rows = List.copyOf(copied);
        }

        /** A table without a chart, as in API 1.0. */
        public Table(
                String name,
                String title,
                Map<String, String> attributes,
                List<String> columns,
                List<List<Object>> rows) {
            this(name, title, attributes, columns, rows, null);
        }
    }

    /**
     * Named lines over a shared x axis drawn as one line chart, for example a custom metric per epoch or a
     * learning-rate schedule.
     *
     * @param xLabel what the x axis measures, for example {@code epoch}
     * @param yLabel what the y axis measures
     * @param lines the lines, each with as many x as y values
     */
    record Series(
            String name, String title, Map<String, String> attributes, String xLabel, String yLabel, List<Line> lines)
            implements Artifact {
        public Series {
            checkName(name);
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(xLabel, "xLabel");
            Objects.requireNonNull(yLabel, "yLabel");
            attributes = ordered(attributes);
            lines = List.copyOf(lines);
        }
    }

    /**
     * One line of a {@link Series}.
     *
     * @param name its legend entry
     * @param x the x values
     * @param y the y values, one per x value; NaN leaves a gap
     */
    record Line(String name, double[] x, double[] y) {
        public Line {
            Objects.requireNonNull(name, "name");
            x = x.clone();
            y = y.clone();
            if (x.length != y.length) {
                throw new IllegalArgumentException(
                        "line '" + name + "' has " + x.length + " x values and " + y.length + " y values");
            }
        }

        @Override
        public double[] x() {
            return x.clone();
        }

        @Override
        public double[] y() {
            return y.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Line l && name.equals(l.name) && Arrays.equals(x, l.x) && Arrays.equals(y, l.y);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, Arrays.hashCode(x), Arrays.hashCode(y));
        }

        @Override
        public String toString() {
            return "Line[" + name + ", " + x.length + " points]";
        }
    }

    /**
     * A picture the plugin drew itself.
     *
     * @param png the PNG file's bytes
     * @param caption what it shows
     */
    record Image(String name, String title, Map<String, String> attributes, byte[] png, String caption)
            implements Artifact {
        private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

        public Image {
            checkName(name);
            Objects.requireNonNull(title, "title");
            attributes = ordered(attributes);
            png = png.clone();
            caption = caption == null ? "" : caption;
            if (png.length < PNG_SIGNATURE.length
                    || !Arrays.equals(Arrays.copyOf(png, PNG_SIGNATURE.length), PNG_SIGNATURE)) {
                throw new IllegalArgumentException("image '" + name + "' is not a PNG file");
            }
        }

        @Override
        public byte[] png() {
            return png.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Image i
                    && name.equals(i.name)
                    && title.equals(i.title)
                    && attributes.equals(i.attributes)
                    && Arrays.equals(png, i.png)
                    && caption.equals(i.caption);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, title, attributes, Arrays.hashCode(png), caption);
        }

        @Override
        public String toString() {
            return "Image[" + name + ", " + png.length + " bytes]";
        }
    }

    /**
     * Named numbers, for example {@code macro F1 = 0.89}; NaN where a value could not be computed.
     *
     * @param values in the order they should be shown
     */
    record Scalars(String name, String title, Map<String, String> attributes, Map<String, Double> values)
            implements Artifact {
        public Scalars {
            checkName(name);
            Objects.requireNonNull(title, "title");
            attributes = ordered(attributes);
            Map<String, Double> copy = new LinkedHashMap<>();
            values.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "name"), Objects.requireNonNull(v, k)));
            values = Collections.unmodifiableMap(copy);
        }
    }

    /** Checks an artifact's name: lower-case letters, digits, {@code -} and {@code _}, at most 64, as the store keeps. */
    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("artifact name '" + name
                    + "' must be 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter or digit");
        }
    }

    /** A copy that keeps the caller's order (a {@code Map.of} has none; a {@code LinkedHashMap} does). */
    private static Map<String, String> ordered(Map<String, String> attributes) {
        Map<String, String> copy = new LinkedHashMap<>();
        attributes.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "attribute"), Objects.requireNonNull(v, k)));
        return Collections.unmodifiableMap(copy);
    }
}
