-- The analysts' view of every rendered image with its job. Repeatable: Flyway re-runs this file
-- whenever it changes (after the versioned migrations), so the view's definition lives here only;
-- edit it here, never in a V migration. Analysts query views, never the tables, so the tables can
-- change. Dropped and created (not CREATE OR REPLACE) so that any edit works, including removed or
-- renamed columns, in one transaction. No earlier migration granted anything on it; a grant the
-- view needs belongs at the end of this file, since the DROP takes grants with it.

DROP VIEW IF EXISTS image_history;

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
       i.created_at    AS rendered_at,
       j.batch_id,
       j.sku,
       i.fallback_profile,
       i.storage_key,
       i.sha256,
       i.bytes,
       i.expired_at
FROM image i
JOIN job j ON j.id = i.job_id;

-- Who reads it: the analyst role (views only, never the tables) and the runtime role (V25); the DROP
-- above took the grants with it.
GRANT SELECT ON image_history TO "${analyst_role}", "${runtime_role}";
