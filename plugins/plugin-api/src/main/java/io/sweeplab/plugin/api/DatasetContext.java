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
}
