-- Issue 14: bad-worker quarantine (docs/operations.md, "Quarantine"). Each retriable render failure
-- is kept with the worker that caused it; when that worker is quarantined, the attempts its
-- failures used are given back to the jobs (attempts_refunded: the attempt limit is
-- max-attempts + attempts_refunded), so its failures do not count against the jobs. The attempt
-- number itself never goes down: it fences late results from superseded attempts.
ALTER TABLE job ADD COLUMN attempts_refunded integer NOT NULL DEFAULT 0;

CREATE TABLE worker_failure (
    job_id    uuid        NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    attempt   integer     NOT NULL,
    worker_id text        NOT NULL,
    model_id  text,
    at        timestamptz NOT NULL DEFAULT now(),
    refunded  boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (job_id, attempt)
);
CREATE INDEX worker_failure_worker_idx ON worker_failure (worker_id, at) WHERE NOT refunded;
