package io.sweeplab.plugin.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense array of floats in row-major (C) order with a shape, for example {@code [3, 32, 26, 26]}.
 *
 * @param name what the values are, for example {@code image 23 / conv2d_1}
 * @param shape the size of each dimension
 * @param data the values; its length is the product of the shape
 */
public record Tensor(String name, int[] shape, float[] data) {
    public Tensor {
        Objects.requireNonNull(name, "name");
        shape = shape.clone();
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + size + " values, got " + data.length);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t
                && name.equals(t.name)
                && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}
