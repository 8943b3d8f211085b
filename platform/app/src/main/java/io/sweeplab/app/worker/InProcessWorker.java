package io.sweeplab.app.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sweeplab.app.run.ArtifactJson;
import io.sweeplab.app.run.JdbcRunStore;
import io.sweeplab.core.plugin.Guard;
import io.sweeplab.core.plugin.PluginRegistry;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunStore;
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.worker.train.Resume;
import io.sweeplab.worker.train.Trainer;
import io.sweeplab.worker.train.TrainingOutcome;
import io.sweeplab.worker.train.TrainingReporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The worker inside the platform: {@code sweeplab.worker.slots} threads, each claiming the oldest queued run,
 * training it and recording what it produces. A run interrupted by a shutdown goes back to the queue and resumes
 * from its last checkpoint at the next start.
 */
@ApplicationScoped
public class InProcessWorker {

    private static final Logger LOG = Logger.getLogger(InProcessWorker.class);

    private final JdbcRunStore store;
    private final PluginRegistry plugins;
    private final DatasetProvider dataset;
    private final ObjectMapper json;
    private final int slots;
    private final boolean enabled;
    private final Path checkpoints;
    private final Duration pluginCallLimit;
    private final String name;
    private final String engine;
    private final int threads;
    private final Object wake = new Object();
    private final Set<Long> cancelled = ConcurrentHashMap.newKeySet();
    private final List<Thread> slotThreads = new ArrayList<>();
    private volatile boolean stopping;
    private volatile Trainer trainer;

    public InProcessWorker(
            JdbcRunStore store,
            PluginRegistry plugins,
            DatasetProvider dataset,
            ObjectMapper json,
            @ConfigProperty(name = "sweeplab.worker.slots", defaultValue = "1") int slots,
            @ConfigProperty(name = "sweeplab.worker.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "sweeplab.home") Optional<String> home,
            @ConfigProperty(name = "sweeplab.plugins.call-timeout", defaultValue = "10s") Duration pluginCallLimit,
            @ConfigProperty(name = "sweeplab.worker.engine", defaultValue = "auto") String engine,
            @ConfigProperty(name = "sweeplab.worker.threads") Optional<Integer> threads) {
        this.store = store;
        this.plugins = plugins;
        this.dataset = dataset;
        this.json = json;
        this.slots = Math.max(1, slots);
        this.enabled = enabled;
        this.pluginCallLimit = pluginCallLimit;
        this.checkpoints = home.map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".sweeplab"))
                .resolve("checkpoints");
        this.name = "in-process@" + ProcessHandle.current().pid();
        this.engine = engine;
        this.threads = threads.orElse(Math.max(1, Runtime.getRuntime().availableProcessors() / this.slots));
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.info("SWL-WORKER-001 in-process worker disabled (sweeplab.worker.enabled=false)");
            return;
        }
        int requeued = store.requeueRunning();
        if (requeued > 0) {
            LOG.infof("SWL-WORKER-002 %d interrupted runs put back in the queue", requeued);
        }
        for (int i = 0; i < slots; i++) {
            Thread t = new Thread(this::loop, "sweeplab-worker-slot-" + i);
            t.setDaemon(true);
            slotThreads.add(t);
            t.start();
        }
        LOG.infof("SWL-WORKER-000 in-process worker %s with %d slot(s)", name, slots);
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        wake();
        for (Thread t : slotThreads) {
            try {
                t.join(Duration.ofSeconds(20).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Called when a run is queued, so an idle slot starts at once instead of at its next poll. */
    public void wake() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Called when a run is cancelled, so a slot training it stops at its next iteration. */
    public void cancel(long run) {
        cancelled.add(run);
    }

    private void loop() {
        while (!stopping) {
            Optional<Run> claimed;
            try {
                claimed = store.claimNext(name);
            } catch (RuntimeException e) {
                LOG.warnf("SWL-WORKER-010 cannot claim a run: %s", e.getMessage());
                claimed = Optional.empty();
            }
            if (claimed.isEmpty()) {
                synchronized (wake) {
                    try {
                        wake.wait(2000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            execute(claimed.get());
        }
    }

    private void execute(Run run) {
        long id = run.id();
        LOG.infof("SWL-WORKER-020 run %d (%s) started", id, run.spec().architecture());
        try {
            Optional<Resume> resume = store.lastCheckpoint(id)
                    .map(c -> new Resume(
                            Path.of(c.path()),
                            c.epoch(),
                            store.metrics(id).stream()
                                    .filter(m -> m.epoch() <= c.epoch())
                                    .toList()));
            resume.ifPresent(r -> LOG.infof("SWL-WORKER-021 run %d resumes after epoch %d", id, r.epoch()));
            TrainingOutcome out = trainer()
                    .train(
                            id,
                            run.spec(),
                            dataset.get(),
                            checkpoints.resolve("run-" + id),
                            resume,
                            new StoreReporter(id));
            if (stopping && !cancelled.contains(id) && out.status() == io.sweeplab.core.run.RunStatus.CANCELLED) {
                store.requeue(id);
                LOG.infof("SWL-WORKER-022 run %d interrupted by shutdown; it resumes at the next start", id);
                return;
            }
            pruneCheckpoints(id, out.weightsEpoch()); // before finishing: whoever sees it finished sees it tidy
            store.finish(
                    id,
                    new RunStore.Outcome(
                            out.status(),
                            out.stopReason(),
                            out.stoppedBy(),
                            out.stoppedEpoch(),
                            null,
                            out.testLoss(),
                            out.testAccuracy()));
            LOG.infof(
                    "SWL-WORKER-023 run %d %s, test accuracy %s",
                    id, out.status().jsonName(), out.testAccuracy());
        } catch (Throwable e) {
            LOG.errorf(e, "SWL-WORKER-030 run %d failed", id);
            store.finish(id, RunStore.Outcome.failed(Guard.describe(e)));
        } finally {
            cancelled.remove(id);
        }
    }

    /** A finished run keeps the checkpoint of the weights it ended with; the others only served resuming. */
    private void pruneCheckpoints(long id, int keep) {
        for (String path : store.keepOnlyCheckpoint(id, keep)) {
            try {
                java.nio.file.Files.deleteIfExists(Path.of(path));
            } catch (java.io.IOException e) {
                LOG.warnf("SWL-WORKER-031 cannot delete checkpoint %s: %s", path, e.getMessage());
            }
        }
    }

    /** Created on first use: it loads ND4J's native libraries, which runs that never train do not need. */
    private Trainer trainer() {
        Trainer t = trainer;
        if (t == null) {
            synchronized (this) {
                if (trainer == null) {
                    trainer = new Trainer(plugins, pluginCallLimit, engine, threads);
                }
                t = trainer;
            }
        }
        return t;
    }

    private final class StoreReporter implements TrainingReporter {
        private final long run;
        private long nextPoll;

        StoreReporter(long run) {
            this.run = run;
        }

        @Override
        public void started(String device, ModelSummary summary) {
            store.started(run, device, summary);
        }

        @Override
        public void epoch(EpochMetric metric) {
            store.epoch(run, metric);
        }

        @Override
        public void checkpoint(int epoch, Path file) {
            store.checkpoint(run, epoch, file.toAbsolutePath().toString());
        }

        @Override
        public void artifact(Artifact artifact) {
            store.artifact(run, artifact.name(), ArtifactJson.kind(artifact), ArtifactJson.write(json, artifact));
        }

        @Override
        public boolean cancelRequested() {
            if (stopping || cancelled.contains(run)) {
                return true;
            }
            long now = System.nanoTime();
            if (now >= nextPoll) { // cancels from elsewhere (another platform node) are seen within a second
                nextPoll = now + 1_000_000_000L;
                if (store.cancelRequested(run)) {
                    cancelled.add(run);
                    return true;
                }
            }
            return false;
        }
    }
}
