package io.sweeplab.plugin.api;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the worker offers a {@link Dataset} while it loads.
 *
 * @since 1.2
 */
public interface DatasetContext {

    /**
     * A directory on the worker machine where this dataset may keep files between runs (downloads, decoded
     * copies), one per dataset id; it may not exist yet.
     */
    Path cacheDirectory();

    /**
     * A dataset setting of the worker, by name ({@code dir}, {@code download}, {@code url}: the platform's
     * {@code sweeplab.dataset.<name>}, a remote worker's {@code --dataset-<name>}); empty when unset.
     */
    Optional<String> setting(String name);

    /**
     * A directory a run's parameters name, checked against the directories this worker lets runs read: its dataset
     * roots (the platform's {@code sweeplab.dataset.roots}, a remote worker's {@code --dataset-roots}; by default
     * its own datasets directory and {@code /usr/share/datasets}). A dataset that reads a directory given in its
     * parameters must take it from here, so that a team member cannot read any directory the worker can.
     *
     * @return the directory, absolute, with symbolic links resolved when it exists
     * @throws IllegalArgumentException when it lies outside the roots, naming them and the setting to change
     */
    Path directory(String path);
}
