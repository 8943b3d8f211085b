package io.sweeplab.worker.data;

import java.util.Arrays;
import java.util.Random;

/**
 * Greyscale images with labels: {@code pixels} holds {@code size} images of {@code height * width} values in
 * [0, 1], row-major, one after the other.
 */
public record ImageSet(int size, int height, int width, float[] pixels, int[] labels) {

    public ImageSet {
        if (pixels.length != (long) size * height * width || labels.length != size) {
            throw new IllegalArgumentException(
                    "pixels or labels do not match " + size + " images of " + height + "x" + width);
        }
    }

    public int pixelsPerImage() {
        return height * width;
    }

    /** The first {@code n} images; all of them when {@code n} is 0 or at least the size. */
    public ImageSet first(int n) {
        if (n <= 0 || n >= size) {
            return this;
        }
        return new ImageSet(n, height, width, Arrays.copyOf(pixels, n * pixelsPerImage()), Arrays.copyOf(labels, n));
    }

    /** {@code n} distinct images drawn with the seed, kept in their original order; deterministic. */
    public ImageSet sample(int n, long seed) {
        if (n <= 0 || n >= size) {
            return this;
        }
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        Random rnd = new Random(seed);
        for (int i = 0; i < n; i++) {
            int j = i + rnd.nextInt(size - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] chosen = Arrays.copyOf(idx, n);
        Arrays.sort(chosen);
        return select(chosen);
    }

    /** The images at these indices, in this order. */
    public ImageSet select(int[] indices) {
        int ppi = pixelsPerImage();
        float[] px = new float[indices.length * ppi];
        int[] lb = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * ppi, px, i * ppi, ppi);
            lb[i] = labels[indices[i]];
        }
        return new ImageSet(indices.length, height, width, px, lb);
    }
}
