package io.sweeplab.plugin.api;

/**
 * Turns a trained model and its test data into an {@link Artifact} the dashboard renders, for example the
 * activation maps of chosen test images.
 *
 * <p><b>Lifecycle.</b> One instance for the life of the platform (see {@link Extension}). The worker calls
 * {@link #visualize} once at the end of each run that lists the visualizer, on the training thread, after the
 * final evaluation. The context is valid only during the call.
 */
public interface Visualizer extends Extension {

    /**
     * Produces the artifact.
     *
     * @param params values validated against {@link #params()} and {@link #validate(Params)}
     * @param context the trained model and test data, independent of the engine that trained it
     */
    Artifact visualize(Params params, VisualizerContext context) throws Exception;
}
