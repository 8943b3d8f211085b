package io.sweeplab.app.sweep;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sweeplab.app.queue.RunProgress;
import io.sweeplab.core.sweep.SearchDriver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Drives search sweeps on one background thread: asks the scheduler after each epoch a run records, the strategy
 * after each run ends, and every few seconds advances every search with room (which also continues searches after a
 * restart, and ends those whose time budget ran out). The workers that report never wait for a plugin.
 */
@ApplicationScoped
public class SearchRunner {

    private static final Logger LOG = Logger.getLogger(SearchRunner.class);

    private final SearchDriver driver;
    private final Duration interval;
    private ScheduledExecutorService thread;

    public SearchRunner(
            SearchDriver driver,
            @ConfigProperty(name = "sweeplab.search.interval", defaultValue = "2s") Duration interval) {
        this.driver = driver;
        this.interval = interval;
    }

    void start(@Observes StartupEvent event) {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sweeplab-search");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(
                () -> guarded("advancing searches", driver::advanceAll),
                interval.toMillis(),
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.shutdownNow();
        }
    }

    void onProgress(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunProgress p) {
        ExecutorService t = thread;
        if (t == null || t.isShutdown()) {
            return;
        }
        if (p.finished()) {
            t.execute(() -> guarded("advancing the search of run " + p.run(), () -> driver.advanceOfRun(p.run())));
        } else {
            t.execute(() -> guarded("scheduling run " + p.run(), () -> driver.afterEpoch(p.run(), p.epoch())));
        }
    }

    private static void guarded(String what, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            LOG.warnf("SWL-SEARCH-006 %s failed: %s", what, e.toString());
        }
    }
}
