package io.sweeplab.plugins.datasets;

import io.sweeplab.plugin.api.Dataset;
import io.sweeplab.plugin.api.DatasetContent;
import io.sweeplab.plugin.api.DatasetContext;
import io.sweeplab.plugin.api.ImageSet;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.ParamViolation;
import io.sweeplab.plugin.api.Params;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Any pair of IDX image and label sets in a directory of the worker: MNIST, KMNIST, EMNIST and the like. The files
 * are {@code <prefix>-images-idx3-ubyte} and {@code <prefix>-labels-idx1-ubyte}, gzipped ({@code .gz}) or not,
 * with the prefixes {@code train} and {@code t10k} by default (MNIST's and KMNIST's names); EMNIST's are for example
 * {@code emnist-balanced-train} and {@code emnist-balanced-test}, with {@code transpose} on.
 */
public final class IdxDataset implements Dataset {

    private static final ParamSchema PARAMS = ParamSchema.of(
            ParamSpec.ofString("directory", "", "The directory of the IDX files, on the worker machine"),
            ParamSpec.ofString("train", "train", "Prefix of the training files (<prefix>-images-idx3-ubyte[.gz])"),
            ParamSpec.ofString("test", "t10k", "Prefix of the test files"),
            ParamSpec.ofString(
                    "classNames",
                    "",
                    "Class names by label, separated by commas; empty: the labels themselves (0, 1, ...)"),
            ParamSpec.ofBoolean("transpose", false, "Images are stored column by column (EMNIST)"));

    @Override
    public String id() {
        return "idx";
    }

    @Override
    public String label() {
        return "IDX files (MNIST, KMNIST, EMNIST)";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Greyscale images and labels in IDX files, as MNIST, KMNIST and EMNIST ship them, from a directory of"
                + " the worker.";
    }

    @Override
    public ParamSchema params() {
        return PARAMS;
    }

    @Override
    public List<ParamViolation> validate(Params params) {
        List<ParamViolation> out = new ArrayList<>();
        if (params.getString("directory").isBlank()) {
            out.add(new ParamViolation("directory", "is required: the directory of the IDX files on the worker"));
        }
        for (String p : List.of("train", "test")) {
            if (!params.getString(p).matches("[A-Za-z0-9._-]+")) {
                out.add(new ParamViolation(p, "must be a file name prefix (letters, digits, '.', '_', '-')"));
            }
        }
        return out;
    }

    @Override
    public DatasetContent load(Params params, DatasetContext context) throws IOException {
        Path dir = context.directory(params.getString("directory"));
        boolean transpose = params.getBoolean("transpose");
        ImageSet train = set(dir, params.getString("train"), transpose);
        ImageSet test = set(dir, params.getString("test"), transpose);
        int classes = 1 + Math.max(max(train.labels()), max(test.labels()));
        String names = params.getString("classNames");
        List<String> classNames;
        if (names.isBlank()) {
            classNames = new ArrayList<>();
            for (int c = 0; c < Math.max(2, classes); c++) {
                classNames.add(Integer.toString(c));
            }
        } else {
            classNames = Arrays.stream(names.split(",")).map(String::strip).toList();
            if (classNames.size() < classes) {
                throw new DatasetException(
                        "classNames names " + classNames.size() + " classes but the labels go up to " + (classes - 1),
                        null);
            }
        }
        return new DatasetContent(classNames, train, test);
    }

    private static ImageSet set(Path dir, String prefix, boolean transpose) throws IOException {
        Path images = file(dir, prefix + "-images-idx3-ubyte");
        Path labels = file(dir, prefix + "-labels-idx1-ubyte");
        try {
            return Idx.images(Idx.read(images), Idx.read(labels), transpose);
        } catch (DatasetException e) {
            throw new DatasetException(images + " and " + labels + ": " + e.getMessage(), e);
        }
    }

    private static Path file(Path dir, String base) {
        for (String name : List.of(base + ".gz", base)) {
            Path f = dir.resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new DatasetException(
                "no " + base + "(.gz) in " + dir + " on this worker; the directory parameter names a directory of"
                        + " the worker machine",
                null);
    }

    private static int max(int[] a) {
        int m = 0;
        for (int v : a) {
            m = Math.max(m, v);
        }
        return m;
    }
}
