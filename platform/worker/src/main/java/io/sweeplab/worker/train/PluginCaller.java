package io.sweeplab.worker.train;

import io.sweeplab.core.plugin.Guard;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls one run's plugin code on a thread of its own with a time limit, cheaply enough for every iteration: a
 * plugin that throws or hangs fails the run with the reason, never the worker.
 */
final class PluginCaller implements AutoCloseable {

    private final Duration limit;
    private final ExecutorService thread;

    PluginCaller(Duration limit, long runId) {
        this.limit = limit;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sweeplab-run-" + runId + "-plugins");
            t.setDaemon(true);
            return t;
        });
    }

    <T> T call(String what, Callable<T> body) throws Guard.PluginFailure {
        Future<T> f = thread.submit(body);
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new Guard.PluginFailure(what + " did not return within " + limit.toMillis() + " ms", null);
        } catch (ExecutionException e) {
            throw new Guard.PluginFailure(what + " failed: " + Guard.describe(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Guard.PluginFailure(what + " was interrupted", e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
