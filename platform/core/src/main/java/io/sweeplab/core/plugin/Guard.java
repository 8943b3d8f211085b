package io.sweeplab.core.plugin;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls plugin code on a separate daemon thread with a time limit, so that a plugin that throws or hangs costs the
 * caller a {@link PluginFailure} and never the platform. A hung call's thread is abandoned (and interrupted).
 */
public final class Guard {

    private Guard() {}

    public static <T> T call(String what, Duration limit, Callable<T> body) throws PluginFailure {
        return call(what, limit, Thread.currentThread().getContextClassLoader(), body);
    }

    /** As {@link #call(String, Duration, Callable)}, with the given context class loader (the plugin's own). */
    public static <T> T call(String what, Duration limit, ClassLoader contextLoader, Callable<T> body)
            throws PluginFailure {
        FutureTask<T> task = new FutureTask<>(body);
        Thread thread = new Thread(task, "sweeplab-plugin-call");
        thread.setDaemon(true);
        thread.setContextClassLoader(contextLoader);
        thread.start();
        try {
            return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new PluginFailure(what + " did not return within " + limit.toSeconds() + " s", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new PluginFailure(what + " failed: " + describe(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.interrupt();
            throw new PluginFailure(what + " was interrupted", e);
        }
    }

    /** A one-line account of an exception and its root cause, for refusal reasons and run errors. */
    public static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String s = t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        if (root != t) {
            s += " (caused by " + root.getClass().getName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
        }
        return s;
    }

    /** Plugin code threw, hung or returned something unusable. */
    public static final class PluginFailure extends Exception {
        private static final long serialVersionUID = 1L;

        public PluginFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
