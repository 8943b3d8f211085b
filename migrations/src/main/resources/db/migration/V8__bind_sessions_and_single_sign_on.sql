-- V8: a sign-in cookie names the user's session epoch; signing out, changing the password or an administrator
-- ending a user's sessions moves the epoch on, and every cookie made before (copies included) stops working.
ALTER TABLE users ADD COLUMN session_epoch INT NOT NULL DEFAULT 0;

-- A single sign-on identity (the provider's issuer and subject, which never change) is bound to one Sweeplab user
-- at its first sign-in; the provider's user name, which its users may change, is used only to find that user once.
CREATE TABLE user_identities (
    issuer    TEXT        NOT NULL CHECK (length(issuer) BETWEEN 1 AND 500),
    subject   TEXT        NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
    user_id   BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    bound_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (issuer, subject),
    UNIQUE (issuer, user_id)
);
