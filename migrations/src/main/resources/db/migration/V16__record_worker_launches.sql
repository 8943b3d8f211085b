-- V16: workers the platform started through a launcher (Slurm, Kubernetes, ...). Each launch has a worker token of
-- its own, kept here as a hash only and revoked in the statement that ends the launch; the worker registers under the
-- credential 'launch:<id>'.

CREATE TABLE worker_launches (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    launcher     TEXT        NOT NULL CHECK (length(launcher) BETWEEN 1 AND 64),
    kind         TEXT        NOT NULL CHECK (kind IN ('cpu', 'gpu')),
    team_id      BIGINT      REFERENCES teams (id) ON DELETE CASCADE,
    external_id  TEXT        CHECK (length(external_id) <= 200),
    worker_name  TEXT        CHECK (length(worker_name) <= 200),
    state        TEXT        NOT NULL CHECK (state IN ('submitting', 'pending', 'running', 'ended')),
    detail       TEXT        NOT NULL DEFAULT '',
    token_hash   BYTEA       UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    ended_at     TIMESTAMPTZ,
    -- ended by the platform itself (cancelled while pending, left mid-submission, its launcher gone), not by the
    -- engine: such an end says nothing about whether the launcher's workers can start
    ended_by_platform BOOLEAN NOT NULL DEFAULT false,
    CHECK ((state = 'ended') = (ended_at IS NOT NULL)),
    -- an ended launch's token is gone
    CHECK (state <> 'ended' OR token_hash IS NULL),
    -- the engine's id is known from submission on (a launch that failed to submit ends without one)
    CHECK (state IN ('submitting', 'ended') OR external_id IS NOT NULL)
);
CREATE INDEX worker_launches_active_idx ON worker_launches (id) WHERE state <> 'ended';
CREATE INDEX worker_launches_recent_idx ON worker_launches (created_at DESC, id DESC);
