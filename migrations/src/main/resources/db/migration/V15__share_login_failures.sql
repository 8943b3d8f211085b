-- V15: the sign-in throttle's counts (core LoginThrottle) live here instead of one platform process's memory, so
-- several instances behind a load balancer slow the same guesser. One row per key ('pair:<user>@<address>',
-- 'address:<address>', 'user:<user>', 'bearer:<address>'); a row is deleted once forget_at passes (its failures
-- all forgiven, its wait over).

CREATE TABLE login_failures (
    key           TEXT             PRIMARY KEY,
    level         DOUBLE PRECISION NOT NULL CHECK (level >= 0),
    last_at       TIMESTAMPTZ      NOT NULL,
    blocked_until TIMESTAMPTZ,
    forget_at     TIMESTAMPTZ      NOT NULL
);

CREATE INDEX login_failures_forget_at ON login_failures (forget_at);
