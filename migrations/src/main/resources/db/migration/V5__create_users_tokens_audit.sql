-- V5: who may do what. Users sign in with a bcrypt-hashed password; a membership gives a user a role in a team;
-- API tokens (personal, or worker tokens) are stored as SHA-256 hashes of 256-bit random secrets; the audit log
-- keeps who did what and when.

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      TEXT        NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,39}$'),
    display_name  TEXT        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    password_hash TEXT        NOT NULL,
    admin         BOOLEAN     NOT NULL DEFAULT false,
    disabled      BOOLEAN     NOT NULL DEFAULT false,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
    team_id    BIGINT      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT        NOT NULL CHECK (role IN ('owner', 'member', 'viewer')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

CREATE TABLE api_tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    scope        TEXT        NOT NULL CHECK (scope IN ('read', 'write', 'worker')),
    token_hash   BYTEA       NOT NULL UNIQUE,
    prefix       TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE audit_log (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor   TEXT        NOT NULL,
    action  TEXT        NOT NULL,
    team    TEXT,
    target  TEXT,
    details JSONB       NOT NULL DEFAULT '{}',
    address TEXT
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
