package io.sweeplab.plugin.api;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Labelled images a run trains and is evaluated on, for example Fashion-MNIST or a folder of PNG files by class.
 *
 * <p><b>Lifecycle.</b> One instance for the life of the platform (see {@link Extension}), on the platform and on
 * every worker. The platform calls {@link #inputShape} when it validates a run, so it must be cheap and must not
 * touch the data, which lives on the worker machines: paths in parameters are paths on the worker. A worker calls
 * {@link #load} once per distinct parameter values, on the thread of the first run that needs them, and keeps the
 * content for later runs with the same values; a load may take long (a download), is not time-limited, and must
 * give the same content every time for the same parameters and files, so that runs are reproducible and their
 * recorded checksum means something. The worker takes subsets of the splits ({@link ImageSet#first},
 * {@link ImageSet#sample}) itself.
 *
 * @since 1.2
 */
public interface Dataset extends Extension {

    /**
     * The shape of the images with these parameters, when the parameters alone tell it (for example a resize
     * parameter); empty when only the data knows. The platform uses it to estimate a run's memory and to build the
     * architecture for that estimate.
     *
     * @param params values validated against {@link #params()} and {@link #validate(Params)}
     */
    default Optional<InputShape> inputShape(Params params) {
        return Optional.empty();
    }

    /**
     * The number of training images with these parameters, when the parameters alone tell it; empty when only the
     * data knows. The platform refuses a run asking for more ({@code data.trainLimit}).
     */
    default OptionalInt trainSize(Params params) {
        return OptionalInt.empty();
    }

    /** The number of test images with these parameters, when they alone tell it; empty otherwise. */
    default OptionalInt testSize(Params params) {
        return OptionalInt.empty();
    }

    /**
     * Loads the data.
     *
     * @param params values validated against {@link #params()} and {@link #validate(Params)}
     * @param context the worker's cache directory and dataset settings
     * @throws Exception with a message that says what is missing or wrong and how to fix it; it fails the run
     */
    DatasetContent load(Params params, DatasetContext context) throws Exception;
}
