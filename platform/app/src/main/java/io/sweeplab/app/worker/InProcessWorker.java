package io.sweeplab.app.worker;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sweeplab.core.plugin.PluginCatalog;
import io.sweeplab.core.queue.JobQueue;
import io.sweeplab.core.queue.WorkerInfo;
import io.sweeplab.core.queue.WorkerRegistry;
import io.sweeplab.worker.loop.CpuShare;
import io.sweeplab.worker.loop.WorkerLoop;
import io.sweeplab.worker.train.Devices;
import io.sweeplab.worker.train.Trainer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The worker inside the platform: the same {@link WorkerLoop} a remote worker runs, talking to the queue directly.
 * Its id is stable across restarts ({@code embedded@<instance>-<hash of sweeplab.home>}, the instance being
 * {@code sweeplab.instance}, by default {@code <host>-<HTTP port>}), so at start-up it takes back at once the jobs a
 * crashed predecessor held instead of waiting for their leases to expire; and distinct for each platform instance,
 * several of which may share one home on one host.
 */
@ApplicationScoped
public class InProcessWorker {

    private static final Logger LOG = Logger.getLogger(InProcessWorker.class);

    private final WorkerLoop loop;
    private final WorkerRegistry registry;
    private final boolean enabled;

    public InProcessWorker(
            JobQueue queue,
            WorkerRegistry registry,
            PluginCatalog plugins,
            DatasetProvider dataset,
            @ConfigProperty(name = "sweeplab.worker.slots", defaultValue = "1") int slots,
            @ConfigProperty(name = "sweeplab.worker.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "sweeplab.home") Optional<String> home,
            @ConfigProperty(name = "sweeplab.instance") Optional<String> instance,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port,
            @ConfigProperty(name = "sweeplab.plugins.call-timeout", defaultValue = "10s") Duration pluginCallLimit,
            @ConfigProperty(name = "sweeplab.worker.engine", defaultValue = "auto") String engine,
            @ConfigProperty(name = "sweeplab.worker.threads") OptionalInt threads) {
        this.enabled = enabled;
        this.registry = registry;
        CpuShare cpu = CpuShare.of(Runtime.getRuntime().availableProcessors(), slots, threads, CpuShare.PROPERTIES);
        int s = cpu.slots();
        int t = cpu.threadsPerRun();
        Path base = home.map(Path::of).orElse(Path.of(System.getProperty("user.home"), ".sweeplab"));
        String id = id(instance.orElseGet(() -> host() + "-" + port), base);
        WorkerInfo me = WorkerInfo.announce(id, "embedded", "embedded", "cpu", Devices.cpu(t), t, null, null, s);
        Trainer[] trainer = new Trainer[1];
        this.loop = new WorkerLoop(
                me,
                new InProcessChannel(queue, registry, base.resolve("checkpoints")),
                () -> {
                    synchronized (trainer) {
                        if (trainer[0] == null) { // loads ND4J's native libraries: only when something trains
                            trainer[0] = new Trainer(plugins::registry, pluginCallLimit, engine, t);
                        }
                        return trainer[0];
                    }
                },
                dataset.cache(),
                base.resolve("work"),
                Duration.ofSeconds(2));
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.info("SWL-WORKER-001 in-process worker disabled (sweeplab.worker.enabled=false)");
            return;
        }
        loop.start(); // registers, taking back at once what a crashed predecessor held
    }

    void stop(@Observes ShutdownEvent event) {
        if (enabled) {
            loop.stop();
        }
    }

    public String id() {
        return loop.info().id();
    }

    public void wake() {
        loop.wake();
    }

    public void cancel(long run) {
        loop.cancel(run);
    }

    /** Pauses or resumes this worker as an administrator does (see {@link WorkerRegistry#setPaused}). */
    public void pause(boolean pause) {
        registry.setPaused(id(), pause);
        if (!pause) {
            wake();
        }
    }

    /** Stable across restarts of this instance; distinct from other instances (other name, or other home). */
    static String id(String instance, Path home) {
        return "embedded@" + instance + "-"
                + Integer.toHexString(home.toAbsolutePath().normalize().hashCode());
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
