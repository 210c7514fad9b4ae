-- Issue 14: Idempotency-Key on POST /api/v1/jobs (docs/operations.md, "Idempotency keys"). The
-- first request with a key stores what it created, in the same transaction as the job; a retry
-- with the same key and body gets that answer again, another body a 422. Keys are scoped by the
-- caller's team (an admin without a team by its key id) and expire after 24 h.
CREATE TABLE idempotency_key (
    scope        text        NOT NULL,
    key          text        NOT NULL,
    kind         text        NOT NULL,
    request_hash text        NOT NULL,
    resource_id  uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_key_created_idx ON idempotency_key (created_at);
