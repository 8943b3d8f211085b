package io.sweeplab.worker.loop;

import io.sweeplab.core.queue.Assignment;

/** Makes ready what a claimed job needs before it trains: a remote worker fetches the plugin versions it lacks. */
@FunctionalInterface
public interface JobPreparer {

    JobPreparer NONE = a -> {};

    /**
     * @throws PluginUnavailableException when this worker cannot run the job; it goes back to the queue
     * @throws RuntimeException when no worker could (the job fails with the reason)
     */
    void prepare(Assignment assignment) throws PluginUnavailableException;
}
