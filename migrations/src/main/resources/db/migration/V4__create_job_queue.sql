-- V4: the durable job queue. One job per run; a worker holds a job by a lease it renews with heartbeats; an
-- expired lease puts the job back in the queue. Every write a worker makes is fenced by (run, attempt), so a worker
-- that lost its lease cannot write over its successor.

CREATE TABLE workers (
    id             TEXT        PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 200),
    name           TEXT        NOT NULL,
    kind           TEXT        NOT NULL CHECK (kind IN ('embedded', 'remote')),
    backend        TEXT        NOT NULL CHECK (backend IN ('cpu', 'cuda')),
    device         TEXT        NOT NULL,
    cpu_threads    INT,
    gpu_name       TEXT,
    gpu_memory_mb  BIGINT,
    slots          INT         NOT NULL CHECK (slots >= 1),
    registered_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_heartbeat TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE jobs (
    run_id           BIGINT      PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    state            TEXT        NOT NULL CHECK (state IN ('queued', 'leased', 'done')),
    requires_gpu     BOOLEAN     NOT NULL DEFAULT false,
    worker_id        TEXT        REFERENCES workers (id) ON DELETE SET NULL,
    lease_expires_at TIMESTAMPTZ,
    attempts         INT         NOT NULL DEFAULT 0,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((state = 'leased') = (lease_expires_at IS NOT NULL))
);
CREATE INDEX jobs_queued_idx ON jobs (run_id) WHERE state = 'queued';
CREATE INDEX jobs_leased_idx ON jobs (lease_expires_at) WHERE state = 'leased';

-- Runs queued or interrupted before this version become jobs; finished ones get done jobs.
INSERT INTO jobs (run_id, state)
SELECT id, CASE WHEN status IN ('queued', 'running') THEN 'queued' ELSE 'done' END FROM runs;
UPDATE runs SET status = 'queued', worker = NULL WHERE status = 'running';
ALTER TABLE runs DROP COLUMN attempts;
