-- Leases: the coordinator's own liveness check on dispatched jobs, so correctness never rests on
-- the broker's record locks alone. Numbered 10 to leave room for the bulk-intake migrations.

-- Until when the job's current attempt is presumed alive. Set on dispatch (time to reach a
-- worker), extended by every heartbeat of the worker holding it; past it, the job is re-queued.
ALTER TABLE job ADD COLUMN lease_until timestamptz;
-- The worker that last reported holding the job (from heartbeats), for logs and the admin view.
ALTER TABLE job ADD COLUMN worker_id text;
-- A smaller profile the job accepts when its own settings do not fit a worker's memory.
ALTER TABLE job ADD COLUMN fallback_profile text;
ALTER TABLE job ADD COLUMN fallback_width integer;
ALTER TABLE job ADD COLUMN fallback_height integer;
ALTER TABLE job ADD COLUMN fallback_steps integer;

CREATE INDEX job_lease_idx ON job (lease_until) WHERE state = 'DISPATCHED';
-- The dead-letter list: failed jobs, newest first.
CREATE INDEX job_failed_idx ON job (completed_at DESC) WHERE state = 'FAILED';

-- Which profile an image was actually rendered at when its job fell back; null when it did not.
ALTER TABLE image ADD COLUMN fallback_profile text;

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
       j.sku,
       i.fallback_profile
FROM image i
JOIN job j ON j.id = i.job_id;
