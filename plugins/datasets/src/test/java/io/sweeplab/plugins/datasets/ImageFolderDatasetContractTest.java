package io.sweeplab.plugins.datasets;

import io.sweeplab.plugin.api.Dataset;
import io.sweeplab.plugin.testkit.DatasetContract;
import io.sweeplab.plugin.testkit.ImageFolders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The built-in image-folder dataset keeps the dataset contract, on folders of PNGs written for the test. */
class ImageFolderDatasetContractTest extends DatasetContract {

    static final Path IMAGES;

    static {
        try {
            IMAGES = ImageFolders.trainTest(
                    Files.createTempDirectory("contract-images"), List.of("circle", "bar", "dot"), 12, 4, 16, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Dataset dataset() {
        return new ImageFolderDataset();
    }

    @Override
    protected Map<String, Object> requiredParams() {
        return Map.of("directory", IMAGES.toString());
    }
}
