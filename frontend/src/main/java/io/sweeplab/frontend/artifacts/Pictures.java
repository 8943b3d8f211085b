package io.sweeplab.frontend.artifacts;

import io.sweeplab.plugin.api.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a tensor is cut into what the dashboard draws: its last two axes are the picture (or, when labelled, a labelled
 * heatmap); every axis before them is an index chosen by the layout (rows, gallery cells) or by a selector.
 */
final class Pictures {

    private Pictures() {}

    /** One {@code height x width} map of a tensor, from {@code offset} in its data. */
    record Picture(Tensor tensor, int offset, int height, int width, String what) {
        float[] values() {
            return tensor.data();
        }

        float[] range() {
            return io.sweeplab.frontend.components.Heatmaps.range(tensor.data(), offset, height * width);
        }
    }

    /** Whether the last two axes carry labels: a labelled heatmap (a confusion matrix), not a picture. */
    static boolean labelled(Tensor t) {
        int r = t.rank();
        return r >= 2
                && (!t.axes().get(r - 1).labels().isEmpty()
                        || !t.axes().get(r - 2).labels().isEmpty());
    }

    /** Whether the tensor has a picture (two or more axes). */
    static boolean drawable(Tensor t) {
        return t.rank() >= 2;
    }

    /**
     * The map at the given indices of the leading axes (by axis name; a missing one is 0, one too large is the last
     * index, as a filter index of 40 on a layer of 32 channels shows its last channel).
     */
    static Picture at(Tensor t, Map<String, Integer> indices, String prefix) {
        int r = t.rank();
        int h = t.size(r - 2);
        int w = t.size(r - 1);
        int offset = 0;
        List<String> parts = new ArrayList<>();
        if (!prefix.isEmpty()) {
            parts.add(prefix);
        }
        for (int a = 0; a < r - 2; a++) {
            Tensor.Axis axis = t.axes().get(a);
            int n = t.size(a);
            int i = n == 0 ? 0 : Math.max(0, Math.min(n - 1, indices.getOrDefault(axis.name(), 0)));
            offset = offset * n + i;
            parts.add(label(axis, i));
        }
        return new Picture(t, offset * h * w, h, w, String.join(", ", parts));
    }

    /** An index of an axis for people: {@code image 23} for an axis labelled by numbers or not at all, the label otherwise. */
    static String label(Tensor.Axis axis, int i) {
        String label = axis.label(i);
        return label.matches("-?[0-9]+") ? axis.name() + " " + label : label;
    }

    /** A leading axis the user picks an index of: its name, its largest size among the tensors, its labels. */
    record Selector(String axis, int size, List<String> labels) {
        String label(int i) {
            return i < labels.size() ? labels.get(i) : Integer.toString(i);
        }
    }

    /** The leading axes (all but the picture's two, and the first {@code skipFirst}) of the tensors, by name. */
    static List<Selector> selectors(List<Tensor> tensors, int skipFirst) {
        Map<String, Selector> out = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            for (int a = skipFirst; a < t.rank() - 2; a++) {
                Tensor.Axis axis = t.axes().get(a);
                Selector old = out.get(axis.name());
                if (old == null || old.size() < t.size(a)) {
                    out.put(axis.name(), new Selector(axis.name(), t.size(a), axis.labels()));
                }
            }
        }
        return List.copyOf(out.values());
    }

    /** Whether the tensors share their first axis (its name and size) and have pictures: a grid of rows x tensors. */
    static boolean sharedRows(List<Tensor> tensors) {
        if (tensors.size() < 2) {
            return false;
        }
        Tensor first = tensors.get(0);
        for (Tensor t : tensors) {
            if (t.rank() < 3 || labelled(t)) {
                return false;
            }
            if (!t.axes().get(0).name().equals(first.axes().get(0).name()) || t.size(0) != first.size(0)) {
                return false;
            }
        }
        return true;
    }
}
