package io.sweeplab.plugin.testkit;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Writes a small image dataset at test time, in the layout of the {@code image-folder} dataset: one folder per class
 * of PNG files, under {@code train/} and {@code test/} or directly in the directory. Each class is a bright bar at its
 * own place (class {@code c} of {@code n}: a horizontal bar in the {@code c}-th of {@code n} bands) on dim noise, so a
 * small network learns it in one epoch; the images are deterministic for a seed.
 */
public final class ImageFolders {

    private ImageFolders() {}

    /**
     * Writes {@code train/<class>/} and {@code test/<class>/} under {@code dir}.
     *
     * @param classes the class folder names, in any order (the dataset sorts them)
     * @param rgb colour images (each class also in its own colour) rather than greyscale
     */
    public static Path trainTest(
            Path dir, List<String> classes, int trainPerClass, int testPerClass, int side, boolean rgb)
            throws IOException {
        write(dir.resolve("train"), classes, trainPerClass, side, rgb, 1);
        write(dir.resolve("test"), classes, testPerClass, side, rgb, 2);
        return dir;
    }

    /** Writes {@code <class>/} folders directly under {@code dir}. */
    public static Path classesOnly(Path dir, List<String> classes, int perClass, int side, boolean rgb)
            throws IOException {
        write(dir, classes, perClass, side, rgb, 3);
        return dir;
    }

    private static void write(Path dir, List<String> classes, int perClass, int side, boolean rgb, long seed)
            throws IOException {
        List<String> sorted = classes.stream().sorted().toList();
        Random rnd = new Random(seed);
        for (String name : classes) {
            int c = sorted.indexOf(name);
            Path folder = Files.createDirectories(dir.resolve(name));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img =
                        new BufferedImage(side, side, rgb ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        int v = rnd.nextInt(40);
                        img.setRGB(x, y, new Color(v, v, v).getRGB());
                    }
                }
                Graphics2D g = img.createGraphics();
                float hue = (float) c / sorted.size();
                g.setColor(rgb ? Color.getHSBColor(hue, 1f, 1f) : Color.WHITE);
                int band = side / sorted.size();
                g.fillRect(1 + rnd.nextInt(2), c * band, side - 3, Math.max(1, band - 1));
                g.dispose();
                ImageIO.write(
                        img,
                        "png",
                        folder.resolve(String.format("img-%04d.png", i)).toFile());
            }
        }
    }
}
