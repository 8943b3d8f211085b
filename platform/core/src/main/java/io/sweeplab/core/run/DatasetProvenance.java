package io.sweeplab.core.run;

/**
 * The dataset a run trained on, as its worker loaded it: which extension at which version, and a checksum of what
 * it loaded, so that two runs can be told to have seen the same data.
 *
 * @param sha256 of the loaded content: class names, shape, every pixel and label of both splits (before subsets)
 * @param train images of the training split (before the run's {@link DataSpec} subset)
 * @param test images of the test split (before the subset)
 */
public record DatasetProvenance(
        String id,
        String version,
        String sha256,
        int height,
        int width,
        int channels,
        int classes,
        int train,
        int test) {}
