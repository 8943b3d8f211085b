package io.sweeplab.core.queue;

import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.RunSpec;
import java.util.List;

/**
 * A claimed job: the run to train and, when an earlier attempt got somewhere, where to resume.
 *
 * @param resumeEpoch the last epoch with a checkpoint, 0 to start afresh
 * @param checkpoint that checkpoint's file on the platform (for an in-process worker), or null
 * @param done the metrics of epochs 1..resumeEpoch
 */
public record Assignment(JobRef job, RunSpec spec, int resumeEpoch, String checkpoint, List<EpochMetric> done) {}
