package io.sweeplab.plugin.api;

import java.util.Arrays;
import java.util.Random;

/**
 * Labelled images, the way a {@link Dataset} hands them over and the worker trains on them: {@code pixels} holds
 * {@code size} images one after the other, each {@code channels} planes of {@code height} rows of {@code width}
 * values in [0, 1] (channels first, row-major: the layout of DL4J's {@code InputType.convolutionalFlat}, the NCHW
 * layout of a batch), and {@code labels} the class index of each image.
 *
 * <p>The subsets ({@link #first}, {@link #sample}, {@link #select}) are deterministic: the same arguments give the
 * same images in the same order on every machine.
 *
 * @since 1.2 (before, the worker's own type, greyscale only)
 */
public record ImageSet(int size, int height, int width, int channels, float[] pixels, int[] labels) {

    public ImageSet {
        if (size < 0 || height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("invalid image set shape");
        }
        if (pixels.length != (long) size * height * width * channels || labels.length != size) {
            throw new IllegalArgumentException(
                    "pixels or labels do not match " + size + " images of " + height + "x" + width + "x" + channels);
        }
    }

    /** Greyscale images (one channel). */
    public ImageSet(int size, int height, int width, float[] pixels, int[] labels) {
        this(size, height, width, 1, pixels, labels);
    }

    /** The values of one image: {@code channels * height * width}. */
    public int pixelsPerImage() {
        return channels * height * width;
    }

    /** The first {@code n} images; all of them when {@code n} is 0 or at least the size. */
    public ImageSet first(int n) {
        if (n <= 0 || n >= size) {
            return this;
        }
        return new ImageSet(
                n, height, width, channels, Arrays.copyOf(pixels, n * pixelsPerImage()), Arrays.copyOf(labels, n));
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
        return new ImageSet(indices.length, height, width, channels, px, lb);
    }
}
