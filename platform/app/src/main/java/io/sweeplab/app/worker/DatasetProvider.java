package io.sweeplab.app.worker;

import io.sweeplab.worker.data.FashionMnist;
import io.sweeplab.worker.data.FashionMnistLoader;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Fashion-MNIST for the in-process worker, loaded on first use and kept: {@code sweeplab.dataset.dir}, then the
 * Debian package's directory, then {@code <sweeplab.home>/datasets/fashion-mnist}, then a download when
 * {@code sweeplab.dataset.download} is true.
 */
@ApplicationScoped
public class DatasetProvider {

    private final FashionMnistLoader loader;
    private volatile FashionMnist data;

    public DatasetProvider(
            @ConfigProperty(name = "sweeplab.home") Optional<String> home,
            @ConfigProperty(name = "sweeplab.dataset.dir") Optional<String> dir,
            @ConfigProperty(name = "sweeplab.dataset.download", defaultValue = "true") boolean download,
            @ConfigProperty(name = "sweeplab.dataset.url") Optional<URI> url) {
        Path base = home.map(Path::of).orElse(Path.of(System.getProperty("user.home"), ".sweeplab"));
        this.loader = new FashionMnistLoader(
                dir.map(Path::of),
                Path.of(FashionMnistLoader.DEBIAN_DIR),
                base.resolve("datasets").resolve("fashion-mnist"),
                download ? Optional.of(url.orElse(FashionMnistLoader.OFFICIAL)) : Optional.empty());
    }

    public FashionMnist get() {
        FashionMnist d = data;
        if (d == null) {
            synchronized (this) {
                if (data == null) {
                    data = loader.load();
                }
                d = data;
            }
        }
        return d;
    }
}
