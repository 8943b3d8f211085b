package io.sweeplab.plugins.datasets;

import io.sweeplab.plugin.api.DatasetContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** A worker's dataset context with given settings. */
record TestContext(Path cacheDirectory, Map<String, String> settings) implements DatasetContext {

    TestContext(Path cacheDirectory) {
        this(cacheDirectory, Map.of());
    }

    /** Any directory: the roots are the worker's business ({@code DatasetCacheTest}). */
    @Override
    public Path directory(String path) {
        return Path.of(path).toAbsolutePath();
    }

    @Override
    public Optional<String> setting(String name) {
        return Optional.ofNullable(settings.get(name));
    }
}
