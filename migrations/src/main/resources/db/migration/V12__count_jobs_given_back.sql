-- A worker that lacks a plugin a job needs, and cannot fetch it, gives the job back before training it. Those claims
-- are counted here and not held against the job: the reaper gives up after max-attempts claims that did train.
ALTER TABLE jobs ADD COLUMN given_back integer NOT NULL DEFAULT 0;
