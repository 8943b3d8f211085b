package io.sweeplab.worker.data;

import java.nio.file.Path;
import java.util.Optional;

/** The real Fashion-MNIST from the Debian package, loaded once per test JVM. */
public final class TestData {
    private static FashionMnist full;

    private TestData() {}

    public static synchronized FashionMnist full() {
        if (full == null) {
            full = new FashionMnistLoader(
                            Optional.empty(),
                            Path.of(FashionMnistLoader.DEBIAN_DIR),
                            Path.of("target", "dataset-cache"),
                            Optional.empty())
                    .load();
        }
        return full;
    }
}
