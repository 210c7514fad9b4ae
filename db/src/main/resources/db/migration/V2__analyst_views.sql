-- Analysts query image history through views, never the raw tables, so the tables can change.

CREATE VIEW image_history AS
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
       i.created_at    AS rendered_at
FROM image i
JOIN job j ON j.id = i.job_id;
