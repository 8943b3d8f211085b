package io.sweeplab.plugins.datasets;

import io.sweeplab.plugin.api.ImageSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The IDX format of MNIST and its kin: big-endian headers, unsigned bytes, optionally gzipped. */
final class Idx {

    private static final int IMAGES = 0x803;
    private static final int LABELS = 0x801;

    private Idx() {}

    /** The file's content, gunzipped when its name ends in {@code .gz}. */
    static byte[] read(Path file) throws IOException {
        return file.getFileName().toString().endsWith(".gz") ? readGzip(file) : Files.readAllBytes(file);
    }

    static byte[] readGzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /**
     * Parses an image file (magic 0x803: count, rows, columns) and its label file (magic 0x801: count) into [0, 1]
     * greyscale pixels.
     *
     * @param transpose the file stores each image column by column (EMNIST)
     */
    static ImageSet images(byte[] imageFile, byte[] labelFile, boolean transpose) {
        if (imageFile.length < 16 || labelFile.length < 8) {
            throw new DatasetException("not IDX image and label files (too short)", null);
        }
        ByteBuffer img = ByteBuffer.wrap(imageFile);
        ByteBuffer lab = ByteBuffer.wrap(labelFile);
        if (img.getInt() != IMAGES || lab.getInt() != LABELS) {
            throw new DatasetException("not IDX image and label files (magic numbers 0x803 and 0x801)", null);
        }
        int n = img.getInt();
        int h = img.getInt();
        int w = img.getInt();
        if (lab.getInt() != n) {
            throw new DatasetException("image and label files disagree on the count", null);
        }
        if (n < 0 || h < 1 || w < 1 || imageFile.length - 16L != (long) n * h * w || labelFile.length - 8L != n) {
            throw new DatasetException(
                    "IDX files of " + n + " images of " + h + "x" + w + " have the wrong length (truncated?)", null);
        }
        float[] pixels = new float[n * h * w];
        int offset = img.position();
        if (transpose) {
            int ppi = h * w;
            for (int i = 0; i < n; i++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        pixels[i * ppi + y * w + x] = (imageFile[offset + i * ppi + x * h + y] & 0xff) / 255f;
                    }
                }
            }
        } else {
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (imageFile[offset + i] & 0xff) / 255f;
            }
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = labelFile[8 + i] & 0xff;
        }
        return new ImageSet(n, h, w, pixels, labels);
    }
}
