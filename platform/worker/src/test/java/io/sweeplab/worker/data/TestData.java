package io.sweeplab.worker.data;

import io.sweeplab.core.plugin.PluginLoader;
import io.sweeplab.core.run.ExtensionUse;
import io.sweeplab.core.run.RunSpec;
import io.sweeplab.plugin.api.DatasetContent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The real Fashion-MNIST from the Debian package, loaded once per test JVM through the built-in dataset plugin. */
public final class TestData {
    private static LoadedDataset full;

    private TestData() {}

    public static synchronized LoadedDataset loaded() {
        if (full == null) {
            try {
                full = new DatasetCache(
                                new PluginLoader(Duration.ofSeconds(10)).load(TestData.class.getClassLoader(), null),
                                Path.of("target", "dataset-cache"),
                                Map.of("download", "false"))
                        .get(new ExtensionUse(RunSpec.DEFAULT_DATASET, Map.of()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return full;
    }

    public static DatasetContent full() {
        return loaded().content();
    }
}
