package io.sweeplab.frontend.artifacts;

import io.sweeplab.frontend.components.Heatmaps;
import io.sweeplab.plugin.api.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

        /** The smallest and largest finite value of the map. */
        float[] range() {
            return Heatmaps.range(tensor.data(), offset, height * width);
        }
    }

    /** Whether the last two axes carry labels: a labelled heatmap (a confusion matrix), not a picture. */
    static boolean labelled(Tensor t) {
        int r = t.rank();
        return r >= 2
                && (!t.axes().get(r - 1).labels().isEmpty()
                        || !t.axes().get(r - 2).labels().isEmpty());
    }

    /** Whether the tensor has a picture: two or more axes and some values. */
    static boolean drawable(Tensor t) {
        return t.rank() >= 2 && !t.isEmpty();
    }

    /** An unlabelled picture of rank 3 or more, whose first axis is laid out (grid rows or gallery cells). */
    static boolean stack(Tensor t) {
        return t.rank() >= 3 && !labelled(t);
    }

    /** An index of an axis for people: {@code image 23} for an axis labelled by numbers or not at all, the label otherwise. */
    static String label(Tensor.Axis axis, int i) {
        String label = axis.label(i);
        return label.matches("-?[0-9]+") ? axis.name() + " " + label : label;
    }

    /**
     * The map at the given indices of the leading axes (by axis name; a missing one is 0, one too large is the last
     * index, as a filter index of 40 on a layer of 32 channels shows its last channel); none for an empty tensor.
     */
    static Optional<Picture> at(Tensor t, Map<String, Integer> indices) {
        if (!drawable(t)) {
            return Optional.empty();
        }
        int r = t.rank();
        int h = t.size(r - 2);
        int w = t.size(r - 1);
        long offset = 0;
        List<String> parts = new ArrayList<>();
        for (int a = 0; a < r - 2; a++) {
            Tensor.Axis axis = t.axes().get(a);
            int n = t.size(a);
            int i = Math.max(0, Math.min(n - 1, indices.getOrDefault(axis.name(), 0)));
            offset = offset * n + i;
            parts.add(label(axis, i));
        }
        return Optional.of(new Picture(t, (int) (offset * h * w), h, w, String.join(", ", parts)));
    }

    /** The smallest and largest finite value of all the pictures; {0, 0} if none. */
    static float[] range(Collection<Picture> pictures) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (Picture p : pictures) {
            float[] r = p.range();
            min = Math.min(min, r[0]);
            max = Math.max(max, r[1]);
        }
        return min > max ? new float[] {0, 0} : new float[] {min, max};
    }

    /** A leading axis the user picks an index of: its name, its largest size among the tensors, its labels. */
    record Selector(String axis, int size, List<String> labels) {
        String label(int i) {
            return i < labels.size() ? labels.get(i) : Integer.toString(i);
        }
    }

    /** The leading axes (all but the pictures' two) of the tensors, by name, except those the layout places. */
    static List<Selector> selectors(List<Tensor> tensors, Set<String> placed) {
        Map<String, Selector> out = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            for (int a = 0; a < t.rank() - 2; a++) {
                Tensor.Axis axis = t.axes().get(a);
                if (placed.contains(axis.name())) {
                    continue;
                }
                Selector old = out.get(axis.name());
                if (old == null || old.size() < t.size(a)) {
                    out.put(axis.name(), new Selector(axis.name(), t.size(a), axis.labels()));
                }
            }
        }
        return List.copyOf(out.values());
    }

    /** Whether the tensors share their first axis (its name and size) and are stacks: a grid of rows x tensors. */
    static boolean sharedRows(List<Tensor> tensors) {
        if (tensors.size() < 2) {
            return false;
        }
        Tensor first = tensors.get(0);
        for (Tensor t : tensors) {
            if (!stack(t) || !drawable(t)) {
                return false;
            }
            if (!t.axes().get(0).name().equals(first.axes().get(0).name()) || t.size(0) != first.size(0)) {
                return false;
            }
        }
        return true;
    }
}
