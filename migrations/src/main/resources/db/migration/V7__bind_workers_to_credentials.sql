-- V7: a lease belongs to the one worker that claimed it. A remote worker registers with its credential (a worker
-- token, or the one from configuration) and gets an id and a key of its own, which it proves on every later call;
-- the platform never takes a worker's id from a request body. A worker token may belong to one team (its owners
-- make it): the workers it registers claim only that team's runs.

ALTER TABLE api_tokens ADD COLUMN team_id BIGINT REFERENCES teams (id) ON DELETE CASCADE;
ALTER TABLE api_tokens ADD CHECK (team_id IS NULL OR scope = 'worker');

ALTER TABLE workers
    ADD COLUMN credential TEXT   NOT NULL DEFAULT 'embedded' CHECK (length(credential) BETWEEN 1 AND 100),
    ADD COLUMN key_hash   BYTEA  UNIQUE,
    ADD COLUMN team_id    BIGINT REFERENCES teams (id) ON DELETE CASCADE;
ALTER TABLE workers ALTER COLUMN credential DROP DEFAULT;
-- remote workers registered before keys existed cannot prove who they are: they register again (a new id)
UPDATE workers SET credential = 'unbound' WHERE kind = 'remote';
ALTER TABLE workers ADD CHECK ((kind = 'remote') = (key_hash IS NOT NULL) OR credential = 'unbound');
