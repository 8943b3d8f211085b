-- V3: sweeps. A sweep's status is derived from its runs; what is stored is whether and when it was cancelled.
-- Each run of a sweep records its cell: the grid values it takes.

ALTER TABLE sweeps DROP COLUMN status;
ALTER TABLE sweeps
    ADD COLUMN template     TEXT,
    ADD COLUMN size         INT NOT NULL DEFAULT 0,
    ADD COLUMN cancelled_at TIMESTAMPTZ;

ALTER TABLE runs ADD COLUMN cell JSONB;
