-- Bulk catalogues: a batch groups the jobs of one catalogue upload; jobs may be cancelled.

CREATE TABLE batch (
    id               uuid PRIMARY KEY,
    team             text        NOT NULL,
    name             text,
    source           text        NOT NULL,
    job_count        integer     NOT NULL,
    image_count      integer     NOT NULL,
    rejected_count   integer     NOT NULL DEFAULT 0,
    webhook_url      text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    cancelled_at     timestamptz,
    completed_at     timestamptz,
    webhook_status   text
);

ALTER TABLE job ADD COLUMN batch_id uuid REFERENCES batch (id) ON DELETE CASCADE;
ALTER TABLE job ADD COLUMN sku text;

-- CANCELLED: a queued job of a cancelled batch; terminal, never rendered.
ALTER TABLE job DROP CONSTRAINT job_state_check;
ALTER TABLE job ADD CONSTRAINT job_state_check
    CHECK (state IN ('QUEUED', 'DISPATCHED', 'SUCCEEDED', 'FAILED', 'CANCELLED'));

-- A batch's progress (counts per state) and its manifest, without touching other batches' rows.
CREATE INDEX job_batch_idx ON job (batch_id, state) WHERE batch_id IS NOT NULL;

-- Fair share: the dispatcher takes each team's queued rows in its own order, and lists the teams
-- with queued work by a loose index scan over the leading column.
CREATE INDEX job_queued_team_idx ON job (team, priority DESC, created_at) WHERE state = 'QUEUED';

-- A finished job frees an in-flight slot: wake the dispatcher so the next row goes out now rather
-- than at its next idle poll. pg_notify folds identical notifications within one transaction.
CREATE TRIGGER job_finished AFTER UPDATE OF state ON job
    FOR EACH ROW WHEN (OLD.state = 'DISPATCHED' AND NEW.state <> 'DISPATCHED')
    EXECUTE FUNCTION notify_job_queued();

-- Manifest and history queries keep the batch and SKU beside each image.
CREATE OR REPLACE VIEW image_history AS
SELECT i.job_id,
       i.idx           AS image_index,
       j.team,
       j.prompt,
       j.negative_prompt,
       j.profile,
       i.width,
       i.height,
       i.steps,
       i.guidance,
       i.seed,
       i.model_id,
       i.worker_id,
       i.batch_size,
       i.queue_wait_ms,
       i.render_ms,
       i.quality,
       i.sharpness,
       i.path,
       j.created_at    AS job_created_at,
       i.created_at    AS rendered_at,
       j.batch_id,
       j.sku
FROM image i
JOIN job j ON j.id = i.job_id;
