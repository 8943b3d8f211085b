package io.sweeplab.app.plugin;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.sweeplab.core.access.AuditLog;
import io.sweeplab.core.plugin.PluginCatalog;
import io.sweeplab.core.plugin.PluginLoader;
import io.sweeplab.core.plugin.PluginService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The live plugins: the built-in ones from the application's class path, external jars from
 * {@code sweeplab.plugins.dir} (default {@code <sweeplab.home>/plugins}), looked at again every
 * {@code sweeplab.plugins.rescan-every} (default 5 s; 0 turns it off) so that a jar dropped in, replaced or deleted
 * takes effect without a restart, as do the uploads and removals of {@link PluginService}.
 */
@Startup
@ApplicationScoped
public class PluginHost {

    private static final Logger LOG = Logger.getLogger(PluginHost.class);

    private final PluginCatalog catalog;
    private final Duration rescanEvery;
    private final long maxJarBytes;
    private ScheduledExecutorService timer;

    public PluginHost(
            @ConfigProperty(name = "sweeplab.home") Optional<String> home,
            @ConfigProperty(name = "sweeplab.plugins.dir") Optional<String> dir,
            @ConfigProperty(name = "sweeplab.plugins.call-timeout", defaultValue = "10s") Duration callTimeout,
            @ConfigProperty(name = "sweeplab.plugins.rescan-every", defaultValue = "5s") Duration rescanEvery,
            @ConfigProperty(name = "sweeplab.plugins.max-jar-mb", defaultValue = "64") long maxJarMb) {
        Path base = home.map(Path::of).orElse(Path.of(System.getProperty("user.home"), ".sweeplab"));
        Path directory = dir.map(Path::of)
                .orElse(base.resolve("plugins"))
                .toAbsolutePath()
                .normalize();
        ClassLoader platform = Thread.currentThread().getContextClassLoader();
        this.catalog = new PluginCatalog(new PluginLoader(callTimeout), platform, directory, List.of());
        this.rescanEvery = rescanEvery;
        this.maxJarBytes = maxJarMb << 20;
    }

    /** The plugins, for views and services: they take {@link PluginCatalog#registry()} per piece of work. */
    @Produces
    @Singleton
    public PluginCatalog catalog() {
        return catalog;
    }

    @Produces
    @Singleton
    PluginService service(AuditLog audit, PluginInventory inventory) {
        return new PluginService(catalog, audit, r -> inventory.record(r, false), maxJarBytes);
    }

    public Path directory() {
        return catalog.directory();
    }

    void start(@Observes StartupEvent event, PluginInventory inventory) {
        if (rescanEvery.isZero() || rescanEvery.isNegative()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sweeplab-plugins-rescan");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        if (catalog.rescan()) {
                            inventory.record(catalog.registry(), true);
                        }
                    } catch (RuntimeException e) {
                        LOG.warnf("SWL-PLUGIN-040 looking at the plugins directory again failed: %s", e);
                    }
                },
                rescanEvery.toMillis(),
                rescanEvery.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
