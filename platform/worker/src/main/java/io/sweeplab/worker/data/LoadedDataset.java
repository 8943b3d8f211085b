package io.sweeplab.worker.data;

import io.sweeplab.core.run.DatasetProvenance;
import io.sweeplab.plugin.api.DatasetContent;

/** A dataset as a worker loaded it, with what a run records of it. */
public record LoadedDataset(DatasetContent content, DatasetProvenance provenance) {}
