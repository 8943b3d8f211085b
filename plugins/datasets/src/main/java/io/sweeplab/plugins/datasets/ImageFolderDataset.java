package io.sweeplab.plugins.datasets;

import io.sweeplab.plugin.api.Dataset;
import io.sweeplab.plugin.api.DatasetContent;
import io.sweeplab.plugin.api.DatasetContext;
import io.sweeplab.plugin.api.ImageSet;
import io.sweeplab.plugin.api.InputShape;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.ParamViolation;
import io.sweeplab.plugin.api.Params;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A team's own images: a directory of the worker holding {@code train/} and {@code test/}, each with one
 * sub-folder per class of PNG or JPEG files; or only the class folders, of which {@code testFraction} of each
 * class (drawn with {@code splitSeed}) is held out for testing. The class names are the folder names, sorted; every
 * image is resized to {@code size} x {@code size} (bilinear, ignoring its aspect ratio) in greyscale or RGB.
 */
public final class ImageFolderDataset implements Dataset {

    private static final ParamSchema PARAMS = ParamSchema.of(
            ParamSpec.ofString(
                    "directory",
                    "",
                    "The directory on the worker machine: train/ and test/ of class folders, or only class folders"),
            ParamSpec.ofInt("size", 28, 4, 256, "Side in pixels every image is resized to"),
            ParamSpec.ofChoice("channels", "1", List.of("1", "3"), "1: greyscale, 3: RGB"),
            ParamSpec.ofDouble(
                    "testFraction", 0.2, 0.01, 0.9, "Share of each class held out for testing when there is no test/"),
            ParamSpec.ofInt("splitSeed", 0, 0, Integer.MAX_VALUE, "Seed of that held-out draw"));

    @Override
    public String id() {
        return "image-folder";
    }

    @Override
    public String label() {
        return "Image folder";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "PNG and JPEG images in one folder per class (class names: the folder names), from a directory of the"
                + " worker, resized to a square in greyscale or RGB.";
    }

    @Override
    public ParamSchema params() {
        return PARAMS;
    }

    @Override
    public List<ParamViolation> validate(Params params) {
        return params.getString("directory").isBlank()
                ? List.of(new ParamViolation("directory", "is required: the image folder on the worker"))
                : List.of();
    }

    @Override
    public java.util.Optional<InputShape> inputShape(Params params) {
        int size = params.getInt("size");
        return java.util.Optional.of(new InputShape(size, size, channels(params)));
    }

    @Override
    public DatasetContent load(Params params, DatasetContext context) throws IOException {
        Path dir = context.directory(params.getString("directory"));
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(
                    "no directory " + dir + " on this worker; the directory parameter names a directory of the worker"
                            + " machine",
                    null);
        }
        int size = params.getInt("size");
        int channels = channels(params);
        Path trainDir = dir.resolve("train");
        Path testDir = dir.resolve("test");
        List<String> classes;
        List<List<Path>> train = new ArrayList<>();
        List<List<Path>> test = new ArrayList<>();
        if (Files.isDirectory(trainDir) && Files.isDirectory(testDir)) {
            classes = classFolders(trainDir);
            List<String> testClasses = classFolders(testDir);
            if (!testClasses.equals(classes)) {
                throw new DatasetException(
                        trainDir + " has the classes " + classes + " but " + testDir + " has " + testClasses, null);
            }
            for (String c : classes) {
                train.add(images(trainDir.resolve(c)));
                test.add(images(testDir.resolve(c)));
            }
        } else {
            classes = classFolders(dir);
            double fraction = params.getDouble("testFraction");
            Random rnd = new Random(params.getInt("splitSeed"));
            for (String c : classes) {
                List<Path> all = new ArrayList<>(images(dir.resolve(c)));
                Collections.shuffle(all, rnd);
                int held = Math.max(1, (int) Math.round(all.size() * fraction));
                if (held >= all.size()) {
                    throw new DatasetException(
                            "class folder " + dir.resolve(c) + " has " + all.size() + " image(s): too few to hold out"
                                    + " a test share and keep some for training",
                            null);
                }
                List<Path> t = new ArrayList<>(all.subList(0, held));
                List<Path> r = new ArrayList<>(all.subList(held, all.size()));
                Collections.sort(t);
                Collections.sort(r);
                test.add(t);
                train.add(r);
            }
        }
        if (classes.size() < 2) {
            throw new DatasetException(
                    dir + " has " + classes.size() + " class folder(s); at least two are needed", null);
        }
        return new DatasetContent(classes, decode(train, size, channels), decode(test, size, channels));
    }

    private static int channels(Params params) {
        return Integer.parseInt(params.getString("channels"));
    }

    /** The class folders, sorted by name; at least two. */
    private static List<String> classFolders(Path dir) throws IOException {
        List<String> classes;
        try (Stream<Path> s = Files.list(dir)) {
            classes = s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
        }
        if (classes.size() < 2) {
            throw new DatasetException(
                    dir + " has " + classes.size() + " class folder(s); at least two are needed", null);
        }
        return classes;
    }

    /** The PNG and JPEG files of a class folder, by name. */
    private static List<Path> images(Path classDir) throws IOException {
        try (Stream<Path> s = Files.list(classDir)) {
            List<Path> files = s.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
                    })
                    .sorted()
                    .toList();
            if (files.isEmpty()) {
                throw new DatasetException("class folder " + classDir + " holds no PNG or JPEG image", null);
            }
            return files;
        }
    }

    /** Class by class, each class's files in order: labels are the class indices. */
    private static ImageSet decode(List<List<Path>> byClass, int size, int channels) throws IOException {
        int n = byClass.stream().mapToInt(List::size).sum();
        int ppi = size * size * channels;
        float[] pixels = new float[n * ppi];
        int[] labels = new int[n];
        int i = 0;
        for (int c = 0; c < byClass.size(); c++) {
            for (Path file : byClass.get(c)) {
                pixels(file, size, channels, pixels, i * ppi);
                labels[i++] = c;
            }
        }
        return new ImageSet(n, size, size, channels, pixels, labels);
    }

    /** Decodes, resizes onto black (transparency) and writes channels first: R plane, G plane, B plane, or grey. */
    private static void pixels(Path file, int size, int channels, float[] out, int offset) throws IOException {
        BufferedImage src;
        try {
            src = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(file + " cannot be decoded: " + e.getMessage(), e);
        }
        if (src == null) {
            throw new DatasetException(file + " is not a PNG or JPEG image this JVM decodes", null);
        }
        BufferedImage rgb = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, size, size, null);
        } finally {
            g.dispose();
        }
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int p = rgb.getRGB(x, y);
                int r = (p >> 16) & 0xff;
                int gr = (p >> 8) & 0xff;
                int b = p & 0xff;
                int at = offset + y * size + x;
                if (channels == 1) {
                    out[at] = (0.299f * r + 0.587f * gr + 0.114f * b) / 255f;
                } else {
                    out[at] = r / 255f;
                    out[at + plane] = gr / 255f;
                    out[at + 2 * plane] = b / 255f;
                }
            }
        }
    }
}
