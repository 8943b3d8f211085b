-- V14: runs that Sweeplab did not train, logged from outside through the MLflow tracking protocol, are runs like
-- the others: same table, marked source = 'external', with MLflow's run id, name, lifecycle and times as the client
-- gives them. They have no spec and no job, so the job queue, the reaper and the workers never see them.

ALTER TABLE runs
    ADD COLUMN source     TEXT   NOT NULL DEFAULT 'trained' CHECK (source IN ('trained', 'external')),
    ADD COLUMN mlflow_id  TEXT   UNIQUE CHECK (mlflow_id ~ '^[0-9a-f]{32}$'),
    ADD COLUMN name       TEXT   CHECK (length(name) <= 250),
    ADD COLUMN lifecycle  TEXT   NOT NULL DEFAULT 'active' CHECK (lifecycle IN ('active', 'deleted')),
    ADD COLUMN user_name  TEXT   CHECK (length(user_name) <= 250),
    ADD COLUMN start_time BIGINT,
    ADD COLUMN end_time   BIGINT,
    ALTER COLUMN spec DROP NOT NULL,
    ADD CONSTRAINT runs_spec_of_trained CHECK ((source = 'trained') = (spec IS NOT NULL)),
    ADD CONSTRAINT runs_mlflow_id_of_external CHECK ((source = 'external') = (mlflow_id IS NOT NULL));

-- MLflow deletes experiments softly (and restores them); Sweeplab's own DELETE still removes them.
ALTER TABLE experiments
    ADD COLUMN lifecycle  TEXT        NOT NULL DEFAULT 'active' CHECK (lifecycle IN ('active', 'deleted')),
    ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();

CREATE TABLE experiment_tags (
    experiment_id BIGINT NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    key           TEXT   NOT NULL CHECK (length(key) BETWEEN 1 AND 250),
    value         TEXT   NOT NULL CHECK (length(value) <= 8000),
    PRIMARY KEY (experiment_id, key)
);

-- Params are written once (a different value later is refused); tags change.
CREATE TABLE run_params (
    run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key    TEXT   NOT NULL CHECK (length(key) BETWEEN 1 AND 250),
    value  TEXT   NOT NULL CHECK (length(value) <= 6000),
    PRIMARY KEY (run_id, key)
);

CREATE TABLE run_tags (
    run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key    TEXT   NOT NULL CHECK (length(key) BETWEEN 1 AND 250),
    value  TEXT   NOT NULL CHECK (length(value) <= 8000),
    PRIMARY KEY (run_id, key)
);

-- One row per metric of a run, holding its latest point (largest step, then timestamp, then value, as MLflow
-- reports it): search filters and ordering read these, never the history.
CREATE TABLE run_metric_keys (
    id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id BIGINT           NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key    TEXT             NOT NULL CHECK (length(key) BETWEEN 1 AND 250),
    value  DOUBLE PRECISION NOT NULL,
    ts     BIGINT           NOT NULL,
    step   BIGINT           NOT NULL,
    UNIQUE (run_id, key)
);
CREATE INDEX run_metric_keys_key_idx ON run_metric_keys (key, value);

-- Every point, MLflow's (key, value, timestamp, step), one row each. The key is a number (its run_metric_keys row),
-- so a row is 32 bytes of data; the covering index answers a history read in (step, timestamp) order from the index
-- alone. No foreign key: its per-row check would cost more than the insert; the trigger below removes the points of a
-- metric whose key row goes (with its run or experiment).
CREATE TABLE run_metric_points (
    key_id BIGINT           NOT NULL,
    step   BIGINT           NOT NULL,
    ts     BIGINT           NOT NULL,
    value  DOUBLE PRECISION NOT NULL
);
CREATE INDEX run_metric_points_idx ON run_metric_points (key_id, step, ts) INCLUDE (value);

CREATE FUNCTION drop_metric_points() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM run_metric_points WHERE key_id IN (SELECT id FROM gone);
    RETURN NULL;
END $$;
CREATE TRIGGER run_metric_keys_drop_points AFTER DELETE ON run_metric_keys
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION drop_metric_points();

-- Datasets a run used (MLflow's log-inputs), with their tags (for example mlflow.data.context = training).
CREATE TABLE run_inputs (
    run_id      BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    name        TEXT   NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
    digest      TEXT   NOT NULL CHECK (length(digest) BETWEEN 1 AND 36),
    source_type TEXT   NOT NULL,
    source      TEXT   NOT NULL,
    schema      TEXT,
    profile     TEXT,
    tags        JSONB  NOT NULL DEFAULT '{}',
    PRIMARY KEY (run_id, name, digest)
);

-- Files an MLflow client uploads through the artifact proxy, by their path under the run's artifact root.
CREATE TABLE run_files (
    run_id     BIGINT      NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    path       TEXT        NOT NULL CHECK (length(path) BETWEEN 1 AND 1000),
    content    BYTEA       NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, path)
);
