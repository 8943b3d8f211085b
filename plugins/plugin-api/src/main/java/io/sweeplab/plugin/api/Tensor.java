package io.sweeplab.plugin.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A dense array of floats in row-major (C) order with a shape and named axes, for example activation maps of shape
 * {@code [3, 32, 26, 26]} with axes {@code image, channel, y, x}, or a confusion matrix {@code [10, 10]} with axes
 * {@code true, predicted} labelled by class name.
 *
 * <p>How the dashboard draws a tensor follows from its axes: when the last two axes carry no labels they are a
 * picture ({@code y} down, {@code x} across) drawn as an image in a colour map; when they carry labels the tensor is a
 * labelled heatmap with the values written in its cells. Axes before those are laid out (the first as rows) or get a
 * selector (the ones between).
 *
 * @param name what the values are, for example {@code conv2d_1}
 * @param shape the size of each axis
 * @param data the values; its length is the product of the shape
 * @param axes one per dimension, in order
 */
public record Tensor(String name, int[] shape, float[] data, List<Axis> axes) {

    /**
     * One dimension of a tensor.
     *
     * @param name what runs along it, for example {@code image}, {@code channel}, {@code y}, {@code x}, {@code true}
     * @param labels empty, or one label per index, for example the class names or the test-image indices
     */
    public record Axis(String name, List<String> labels) {
        public Axis {
            Objects.requireNonNull(name, "name");
            labels = List.copyOf(labels);
        }

        /** An axis without labels (its indices are shown). */
        public static Axis of(String name) {
            return new Axis(name, List.of());
        }

        public static Axis labelled(String name, List<String> labels) {
            return new Axis(name, labels);
        }

        /** The label of an index: its label if there is one, the index otherwise. */
        public String label(int index) {
            return labels.isEmpty() ? Integer.toString(index) : labels.get(index);
        }
    }

    /** The most axes a tensor may have. */
    public static final int MAX_RANK = 8;

    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        if (shape.length > MAX_RANK) {
            throw new IllegalArgumentException("a tensor has at most " + MAX_RANK + " axes, not " + shape.length);
        }
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            size = size > Integer.MAX_VALUE ? size : size * d; // past int range it cannot match any data length
        }
        if (size != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + size + " values, got " + data.length);
        }
        axes = axes == null || axes.isEmpty() ? defaultAxes(shape.length) : List.copyOf(axes);
        if (axes.size() != shape.length) {
            throw new IllegalArgumentException(axes.size() + " axes for a tensor of " + shape.length + " dimensions");
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < shape.length; i++) {
            Axis a = axes.get(i);
            if (!names.add(a.name())) {
                throw new IllegalArgumentException("two axes are named '" + a.name() + "'");
            }
            if (!a.labels().isEmpty() && a.labels().size() != shape[i]) {
                throw new IllegalArgumentException(
                        "axis '" + a.name() + "' has " + a.labels().size() + " labels for " + shape[i] + " indices");
            }
        }
    }

    /** Whether the tensor holds no value (some axis has size 0). */
    public boolean isEmpty() {
        return data.length == 0;
    }

    /** A tensor with unnamed axes ({@code axis0, axis1, ..., y, x}); as in API 1.0. */
    public Tensor(String name, int[] shape, float[] data) {
        this(name, shape, data, List.of());
    }

    /** A tensor with the given axes. */
    public static Tensor of(String name, int[] shape, float[] data, Axis... axes) {
        return new Tensor(name, shape, data, List.of(axes));
    }

    /** The default names: the last two axes {@code y} and {@code x}, the ones before {@code axis0, axis1, ...}. */
    static List<Axis> defaultAxes(int rank) {
        List<Axis> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            int fromEnd = rank - i;
            out.add(Axis.of(fromEnd == 2 ? "y" : fromEnd == 1 ? "x" : "axis" + i));
        }
        return out;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The size of one axis. */
    public int size(int axis) {
        return shape[axis];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t
                && name.equals(t.name)
                && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data)
                && axes.equals(t.axes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(data), axes);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + Arrays.toString(shape) + " "
                + axes.stream().map(Axis::name).toList() + "]";
    }
}
