package io.sweeplab.worker.train;

import io.sweeplab.core.run.DatasetProvenance;
import io.sweeplab.core.run.EpochMetric;
import io.sweeplab.core.run.ModelSummary;
import io.sweeplab.plugin.api.Artifact;
import java.nio.file.Path;

/** Where a training run reports to: the platform's stores in process, or HTTP for a remote worker. */
public interface TrainingReporter {

    void started(String device, ModelSummary summary, DatasetProvenance dataset);

    void epoch(EpochMetric metric);

    void checkpoint(int epoch, Path file);

    void artifact(Artifact artifact);

    /** Polled between iterations; must be cheap. */
    boolean cancelRequested();
}
