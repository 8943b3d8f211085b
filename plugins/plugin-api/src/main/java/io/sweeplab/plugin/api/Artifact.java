package io.sweeplab.plugin.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Visualizer} produces; the dashboard knows how to draw each kind.
 *
 * <p>New kinds are added in minor API versions; a dashboard that meets an unknown kind shows its attributes.
 */
public sealed interface Artifact {

    /** A file-safe identifier, unique within a run, for example {@code activations}. */
    String name();

    /** A title for people. */
    String title();

    /** Extra facts the dashboard may show, for example which test images were used. */
    Map<String, String> attributes();

    /**
     * Named arrays of numbers drawn as heatmaps or image grids (activation maps, a confusion matrix).
     *
     * @param tensors the arrays, in the order they should be shown
     */
    record Tensors(String name, String title, Map<String, String> attributes, List<Tensor> tensors)
            implements Artifact {
        public Tensors {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(title, "title");
            attributes = Map.copyOf(attributes);
            tensors = List.copyOf(tensors);
        }
    }

    /**
     * Rows and columns of plain values (strings, numbers, booleans), for example a model summary.
     *
     * @param columns the column headings
     * @param rows each row has one value per column
     */
    record Table(
            String name, String title, Map<String, String> attributes, List<String> columns, List<List<Object>> rows)
            implements Artifact {
        public Table {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(title, "title");
            attributes = Map.copyOf(attributes);
            columns = List.copyOf(columns);
            List<List<Object>> copied = new java.util.ArrayList<>(rows.size());
            for (List<Object> row : rows) {
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException(
                            "row has " + row.size() + " values for " + columns.size() + " columns");
                }
                copied.add(java.util.Collections.unmodifiableList(new java.util.ArrayList<>(row)));
            }
            rows = List.copyOf(copied);
        }
    }
}
