-- Sweeplab V1: ownership is multi-team from the start. Every experiment, sweep and run belongs to one team,
-- and the composite foreign keys make it impossible for a child to sit under another team's parent.

CREATE TABLE teams (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        TEXT        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
    name        TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE projects (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id     BIGINT      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    slug        TEXT        NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
    name        TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (team_id, slug),
    UNIQUE (id, team_id)
);

CREATE TABLE experiments (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id     BIGINT      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    project_id  BIGINT      NOT NULL,
    name        TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description TEXT        NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    FOREIGN KEY (project_id, team_id) REFERENCES projects (id, team_id) ON DELETE CASCADE,
    UNIQUE (project_id, name),
    UNIQUE (id, team_id)
);
CREATE INDEX experiments_team_idx ON experiments (team_id, created_at);

CREATE TABLE sweeps (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id       BIGINT      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    experiment_id BIGINT      NOT NULL,
    name          TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    spec          JSONB       NOT NULL,
    status        TEXT        NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at   TIMESTAMPTZ,
    FOREIGN KEY (experiment_id, team_id) REFERENCES experiments (id, team_id) ON DELETE CASCADE,
    UNIQUE (id, team_id)
);
CREATE INDEX sweeps_experiment_idx ON sweeps (experiment_id, created_at);

CREATE TABLE runs (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id       BIGINT      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    experiment_id BIGINT      NOT NULL,
    sweep_id      BIGINT,
    spec          JSONB       NOT NULL,
    status        TEXT        NOT NULL
        CHECK (status IN ('queued', 'running', 'succeeded', 'stopped', 'failed', 'cancelled')),
    stop_reason   TEXT,
    error         TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at    TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ,
    FOREIGN KEY (experiment_id, team_id) REFERENCES experiments (id, team_id) ON DELETE CASCADE,
    FOREIGN KEY (sweep_id, team_id) REFERENCES sweeps (id, team_id) ON DELETE CASCADE
);
CREATE INDEX runs_experiment_idx ON runs (experiment_id, created_at);
CREATE INDEX runs_sweep_idx ON runs (sweep_id) WHERE sweep_id IS NOT NULL;
