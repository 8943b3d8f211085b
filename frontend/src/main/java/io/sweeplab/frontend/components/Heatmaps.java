package io.sweeplab.frontend.components;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Pictures of tensors (activation maps, kernels, test images) as PNG images in matplotlib's inferno colour map, as the lab draws them. */
public final class Heatmaps {

    /** Inferno at 9 evenly spaced stops (matplotlib's values), interpolated linearly between them. */
    private static final int[][] INFERNO = {
        {0, 0, 4},
        {40, 11, 84},
        {101, 21, 110},
        {159, 42, 99},
        {212, 72, 66},
        {245, 125, 21},
        {250, 193, 39},
        {245, 251, 161},
        {252, 255, 164}
    };

    private Heatmaps() {}

    /** The colour map's stops as CSS colours, darkest first (for a chart's colour scale). */
    public static java.util.List<String> infernoColours() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int[] c : INFERNO) {
            out.add(String.format(java.util.Locale.ROOT, "#%02x%02x%02x", c[0], c[1], c[2]));
        }
        return out;
    }

    /** The colour of {@code t} in [0, 1] as 0xRRGGBB. */
    static int inferno(double t) {
        double x = Math.max(0, Math.min(1, Double.isNaN(t) ? 0 : t)) * (INFERNO.length - 1);
        int i = Math.min(INFERNO.length - 2, (int) x);
        double f = x - i;
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
            int v = (int) Math.round(INFERNO[i][c] + f * (INFERNO[i + 1][c] - INFERNO[i][c]));
            rgb = (rgb << 8) | v;
        }
        return rgb;
    }

    /** The smallest and largest finite of {@code length} values from {@code offset}; {0, 0} if none. */
    public static float[] range(float[] values, int offset, int length) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            float v = values[offset + i];
            if (Float.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return min > max ? new float[] {0, 0} : new float[] {min, max};
    }

    /**
     * One map ({@code height x width} values, row-major from {@code offset}) on the colour scale from {@code min} to
     * {@code max}, enlarged {@code scale} times with square pixels, as a {@code data:image/png} URL.
     */
    public static String png(float[] values, int offset, int height, int width, int scale, float min, float max) {
        float range = max > min ? max - min : 1;
        BufferedImage img = new BufferedImage(width * scale, height * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = inferno((values[offset + y * width + x] - min) / range);
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(x * scale + dx, y * scale + dy, rgb);
                    }
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
