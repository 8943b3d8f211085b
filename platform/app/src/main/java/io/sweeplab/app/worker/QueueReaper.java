package io.sweeplab.app.worker;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sweeplab.core.queue.JobQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Puts jobs whose worker stopped renewing its lease back in the queue, or fails them after the last attempt. */
@ApplicationScoped
public class QueueReaper {

    private static final Logger LOG = Logger.getLogger(QueueReaper.class);

    private final JobQueue queue;
    private final InProcessWorker worker;
    private final int maxAttempts;
    private ScheduledExecutorService timer;

    public QueueReaper(
            JobQueue queue,
            InProcessWorker worker,
            @ConfigProperty(name = "sweeplab.queue.max-attempts", defaultValue = "3") int maxAttempts) {
        this.queue = queue;
        this.worker = worker;
        this.maxAttempts = maxAttempts;
    }

    void start(@Observes StartupEvent event) {
        long period = Math.max(1000, queue.lease().toMillis() / 3);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sweeplab-queue-reaper");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::reap, period, period, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    void reap() {
        try {
            List<Long> runs = queue.reapExpired(maxAttempts);
            if (!runs.isEmpty()) {
                LOG.warnf(
                        "SWL-QUEUE-003 lease expired for runs %s: back in the queue (or failed after %d attempts)",
                        runs, maxAttempts);
                worker.wake();
            }
        } catch (RuntimeException e) {
            LOG.warnf("SWL-QUEUE-005 reaping expired leases failed: %s", e.getMessage());
        }
    }

    /** For tests and operators: reap now. */
    public void reapNow() {
        reap();
    }
}
