-- V13: search sweeps. A sweep either expands a grid at launch or searches: its strategy proposes trials as
-- earlier ones finish. The search's settings live in sweeps.spec (key "search"); search_ended says why it proposes
-- no more. Every proposed configuration is a row of sweep_trials, numbered from 1 in the order proposed, with the
-- run that trains it (none when the platform refused the configuration, with the reason). The driver adds trials
-- holding the sweep's row lock, in the transaction that inserts their runs and jobs, so a restarted or second
-- platform continues the search from these rows and never doubles a trial.
ALTER TABLE sweeps ADD COLUMN search_ended TEXT;

CREATE TABLE sweep_trials (
    sweep_id    BIGINT      NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
    trial_no    INT         NOT NULL CHECK (trial_no >= 1),
    params      JSONB       NOT NULL,
    run_id      BIGINT      UNIQUE REFERENCES runs (id) ON DELETE SET NULL,
    error       TEXT,
    proposed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (sweep_id, trial_no)
);

CREATE INDEX sweeps_searching_idx ON sweeps (id)
    WHERE search_ended IS NULL AND cancelled_at IS NULL AND (spec -> 'search') IS NOT NULL;

-- A scheduler's stop: the run is asked to stop like a cancel, and ends as stopped, by the scheduler, for its reason.
ALTER TABLE runs
    ADD COLUMN stop_requested_by     TEXT,
    ADD COLUMN stop_requested_reason TEXT;
