package io.sweeplab.frontend.components;

import com.vaadin.flow.component.UI;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Live views: a view refreshes itself on a server timer and the changes reach the browser by server push, so no
 * page is ever reloaded by hand. One small scheduler serves every open view; a refresh runs under the UI's lock.
 */
public final class Live {

    private static final Logger LOG = Logger.getLogger(Live.class);
    private static final ScheduledExecutorService TIMER = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "sweeplab-live");
        t.setDaemon(true);
        return t;
    });

    private final ScheduledFuture<?> task;

    private Live(ScheduledFuture<?> task) {
        this.task = task;
    }

    /** Runs {@code refresh} in {@code ui} every {@code millis} until {@link #stop()} or the UI closes. */
    public static Live every(UI ui, long millis, Runnable refresh) {
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        self[0] = TIMER.scheduleWithFixedDelay(
                () -> {
                    if (ui.isClosing() || !ui.isAttached()) {
                        self[0].cancel(false);
                        return;
                    }
                    try {
                        ui.access(refresh::run).get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        LOG.debugf("SWL-UI-001 live refresh failed: %s", e.toString());
                    }
                },
                millis,
                millis,
                TimeUnit.MILLISECONDS);
        return new Live(self[0]);
    }

    public void stop() {
        task.cancel(false);
    }
}
