package io.sweeplab.worker.train;

import io.sweeplab.core.run.EpochMetric;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a resumed run continues: its last checkpoint and the metrics already recorded.
 *
 * @param checkpoint the model saved after {@code epoch}
 * @param epoch the last finished epoch
 * @param done the metrics of epochs 1..epoch, replayed to the callbacks
 */
public record Resume(Path checkpoint, int epoch, List<EpochMetric> done) {}
