-- V9: what a run's epochs say about overfitting, stored with the run so that tables and charts over many runs
-- can show and sort by it. The platform computes the values (io.sweeplab.core.run.Overfitting) each time an
-- epoch is recorded; all are null until the first epoch, overfit_onset also when the run does not overfit.
-- Runs recorded before this migration are filled in at start-up (io.sweeplab.app.run.OverfittingBackfill).
ALTER TABLE runs
    ADD COLUMN best_val_epoch    INT,
    ADD COLUMN best_val_accuracy DOUBLE PRECISION,
    ADD COLUMN overfit_onset     INT,
    ADD COLUMN final_gap         DOUBLE PRECISION,
    ADD COLUMN best_minus_last   DOUBLE PRECISION;
