-- V2: what training produces. Per-epoch metrics are keyed by (run, epoch) so that a resumed run can never
-- store an epoch twice; checkpoints and artifacts likewise.

ALTER TABLE runs
    ADD COLUMN architecture     TEXT,
    ADD COLUMN device           TEXT,
    ADD COLUMN summary          JSONB,
    ADD COLUMN epochs_done      INT     NOT NULL DEFAULT 0,
    ADD COLUMN test_loss        DOUBLE PRECISION,
    ADD COLUMN test_accuracy    DOUBLE PRECISION,
    ADD COLUMN stopped_by       TEXT,
    ADD COLUMN stopped_epoch    INT,
    ADD COLUMN cancel_requested BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN worker           TEXT,
    ADD COLUMN attempts         INT     NOT NULL DEFAULT 0;

CREATE INDEX runs_queued_idx ON runs (id) WHERE status = 'queued';

CREATE TABLE run_metrics (
    run_id            BIGINT           NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    epoch             INT              NOT NULL CHECK (epoch >= 1),
    train_loss        DOUBLE PRECISION NOT NULL,
    train_accuracy    DOUBLE PRECISION NOT NULL,
    val_loss          DOUBLE PRECISION NOT NULL,
    val_accuracy      DOUBLE PRECISION NOT NULL,
    seconds           DOUBLE PRECISION NOT NULL,
    images_per_second DOUBLE PRECISION NOT NULL,
    recorded_at       TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, epoch)
);

CREATE TABLE run_checkpoints (
    run_id     BIGINT      NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    epoch      INT         NOT NULL CHECK (epoch >= 1),
    path       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, epoch)
);

CREATE TABLE run_artifacts (
    run_id     BIGINT      NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    name       TEXT        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    kind       TEXT        NOT NULL,
    content    BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, name)
);
