package io.sweeplab.plugin.api;

/**
 * A family of networks, for example the lab's CNN with a configurable number of convolutions and filters.
 *
 * <p><b>Lifecycle.</b> One instance for the life of the platform (see {@link Extension}). When a run is launched the
 * platform calls {@link #build} with its validated parameters to check it, for every run and sweep cell (so build
 * the configuration only, never weights): a build that throws or returns null is refused with
 * {@code 400} naming {@code params}, a {@link ModelConfiguration.Graph} as {@link ModelConfiguration} says. The
 * worker then calls {@link #build} once more and trains the returned configuration. It chooses the ND4J backend and
 * may execute the configuration on a faster engine when it recognises every layer; the configuration is the
 * contract, not the execution.
 */
public interface Architecture extends Extension {

    /**
     * Describes the network for one run.
     *
     * @param params values validated against {@link #params()} and {@link #validate(Params)}
     * @param context the input shape, class count and training settings of the run
     * @return the network configuration, including its updater (use {@link BuildContext#learningRate()})
     * @throws IllegalArgumentException when the parameters do not fit the context, for example convolutions that
     *     shrink the dataset's images to nothing; the message says why (since 1.2 the platform builds the network
     *     for the dataset's shape when it validates a run, and refuses the run with this message)
     */
    ModelConfiguration build(Params params, BuildContext context);
}
