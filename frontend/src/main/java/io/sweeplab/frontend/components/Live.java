package io.sweeplab.frontend.components;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import io.sweeplab.frontend.security.SignedOutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Live views: a view refreshes itself on a server timer while it is attached, and the changes reach the browser by
 * server push, so no page is ever reloaded by hand. One small scheduler serves every open view; a refresh runs under
 * the UI's lock. A refresh acts as the page's user is now ({@link io.sweeplab.frontend.security.CallerSource}); when
 * that user is gone, the page is emptied and the browser sent to sign out.
 */
public final class Live {

    private static final Logger LOG = Logger.getLogger(Live.class);
    private static final ScheduledExecutorService TIMER = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "sweeplab-live");
        t.setDaemon(true);
        return t;
    });

    private final long millis;
    private final Runnable refresh;
    private volatile ScheduledFuture<?> task;
    private volatile boolean warned;

    private Live(long millis, Runnable refresh) {
        this.millis = millis;
        this.refresh = refresh;
    }

    /** Runs {@code refresh} every {@code millis} while {@code view} is attached (again after each re-attach). */
    public static Live whileAttached(Component view, long millis, Runnable refresh) {
        Live live = new Live(millis, refresh);
        view.addAttachListener(e -> live.start(e.getUI()));
        view.addDetachListener(e -> live.stop());
        view.getUI().ifPresent(live::start);
        return live;
    }

    private synchronized void start(UI ui) {
        stop();
        task = TIMER.scheduleWithFixedDelay(
                () -> {
                    if (ui.isClosing() || !ui.isAttached()) {
                        stop();
                        return;
                    }
                    try {
                        ui.access(refresh::run).get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof SignedOutException) {
                            signOut(ui);
                        } else {
                            failed(e);
                        }
                    } catch (Exception e) {
                        failed(e);
                    }
                },
                millis,
                millis,
                TimeUnit.MILLISECONDS);
    }

    /** The page's user is gone (deleted or disabled): the page shows nothing more, and the browser signs out. */
    private void signOut(UI ui) {
        stop();
        ui.access(() -> {
            ui.removeAll();
            ui.getPage().setLocation("/logout");
        });
    }

    private void failed(Exception e) {
        // said once per view at WARN (then at DEBUG): a page that cannot refresh stays as it was
        if (!warned) {
            warned = true;
            LOG.warnf(e, "SWL-UI-001 a live page could not refresh; it keeps what it showed");
        } else {
            LOG.debugf("SWL-UI-001 live refresh failed again: %s", e.toString());
        }
    }

    /** Refreshes again while the view stays attached (a sweep given more runs to train after it finished). */
    public void resume(com.vaadin.flow.component.UI ui) {
        start(ui);
    }

    /** Stops refreshing until the view is attached again (a finished sweep has nothing left to show). */
    public synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }
}
