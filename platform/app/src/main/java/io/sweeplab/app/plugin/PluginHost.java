package io.sweeplab.app.plugin;

import io.quarkus.runtime.Startup;
import io.sweeplab.core.plugin.PluginLoader;
import io.sweeplab.core.plugin.PluginRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Loads the plugins once at start-up: the built-in ones from the application's class path, external jars from
 * {@code sweeplab.plugins.dir} (default {@code <sweeplab.home>/plugins}).
 */
@Startup
@ApplicationScoped
public class PluginHost {

    private final PluginRegistry registry;
    private final Path directory;

    public PluginHost(
            @ConfigProperty(name = "sweeplab.home") Optional<String> home,
            @ConfigProperty(name = "sweeplab.plugins.dir") Optional<String> dir,
            @ConfigProperty(name = "sweeplab.plugins.call-timeout", defaultValue = "10s") Duration callTimeout) {
        Path base = home.map(Path::of).orElse(Path.of(System.getProperty("user.home"), ".sweeplab"));
        this.directory = dir.map(Path::of)
                .orElse(base.resolve("plugins"))
                .toAbsolutePath()
                .normalize();
        ClassLoader platform = Thread.currentThread().getContextClassLoader();
        this.registry = new PluginLoader(callTimeout).load(platform, directory);
    }

    /** The loaded plugins, also as a bean for views and services. */
    @jakarta.enterprise.inject.Produces
    @jakarta.inject.Singleton
    public PluginRegistry registry() {
        return registry;
    }

    public Path directory() {
        return directory;
    }
}
