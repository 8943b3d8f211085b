-- V11: the dataset a run's worker loaded (io.sweeplab.core.run.DatasetProvenance: id, version, SHA-256 of the
-- content, shape, classes and split sizes), recorded when the run starts. The dataset a run asks for lives in its
-- spec (runs.spec ->> 'dataset'; specs stored before dataset plugins name none and mean fashion-mnist).
-- Null until the run starts, and for runs started before this migration.
ALTER TABLE runs
    ADD COLUMN dataset JSONB;
