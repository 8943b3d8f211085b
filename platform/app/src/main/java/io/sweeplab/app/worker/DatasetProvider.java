package io.sweeplab.app.worker;

import io.sweeplab.core.plugin.PluginCatalog;
import io.sweeplab.worker.data.DatasetCache;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The datasets of the in-process worker, each loaded on first use and kept ({@link DatasetCache}): their files
 * under {@code <sweeplab.home>/datasets/<id>}, and the settings {@code sweeplab.dataset.dir}, {@code .download}
 * and {@code .url} (Fashion-MNIST's: looked in first, whether to download, from where).
 */
@ApplicationScoped
public class DatasetProvider {

    private final DatasetCache cache;

    public DatasetProvider(
            PluginCatalog plugins,
            @ConfigProperty(name = "sweeplab.home") Optional<String> home,
            @ConfigProperty(name = "sweeplab.dataset.dir") Optional<String> dir,
            @ConfigProperty(name = "sweeplab.dataset.download", defaultValue = "true") boolean download,
            @ConfigProperty(name = "sweeplab.dataset.url") Optional<String> url,
            @ConfigProperty(name = "sweeplab.dataset.roots") Optional<String> roots) {
        Path base = home.map(Path::of).orElse(Path.of(System.getProperty("user.home"), ".sweeplab"));
        Map<String, String> settings = new LinkedHashMap<>();
        dir.ifPresent(d -> settings.put("dir", d));
        settings.put("download", Boolean.toString(download));
        url.ifPresent(u -> settings.put("url", u));
        roots.ifPresent(r -> settings.put("roots", r));
        this.cache = new DatasetCache(plugins::registry, base.resolve("datasets"), settings);
    }

    public DatasetCache cache() {
        return cache;
    }
}
