package io.sweeplab.worker.loop;

/**
 * This worker cannot get or load a plugin a job needs (the platform is unreachable, the checksum differs, the jar
 * is refused here): the job goes back to the queue, not counted as an attempt, for a worker that can.
 */
public final class PluginUnavailableException extends Exception {
    public PluginUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
