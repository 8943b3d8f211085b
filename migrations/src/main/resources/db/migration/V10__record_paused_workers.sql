-- V10: an administrator pauses a worker, embedded or remote: a paused worker claims no new jobs (the claim finds
-- none for it) and finishes the ones it holds. The pause lasts until it is resumed or the worker registers again.

ALTER TABLE workers ADD COLUMN paused BOOLEAN NOT NULL DEFAULT false;
