-- The analysts' view of every rendered image with its job. Repeatable: Flyway re-runs this file
-- whenever it changes (after the versioned migrations), so the view's definition lives here only;
-- edit it here, never in a V migration. Analysts query views, never the tables, so the tables can
-- change. Dropped and created (not CREATE OR REPLACE) so that any edit works, including removed or
-- renamed columns, in one transaction. Grants the view needs belong at the end of this file, since
-- the DROP takes grants with it.
--
-- Columns after fallback_profile (issue 12): the size profile it was rendered at, the step profile
-- its steps came from, the model the job asked for, its lineage (parent image, derivation, seed
-- offset from the parent), its review and the job's model.

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
       i.expired_at,
       i.profile       AS rendered_profile,
       i.step_profile,
       i.parent_job_id,
       i.parent_idx    AS parent_image_index,
       i.derivation,
       i.seed_offset,
       i.verdict,
       i.rating,
       r.note          AS review_note,
       r.reviewer,
       r.reviewed_at
FROM image i
JOIN job j ON j.id = i.job_id
LEFT JOIN image_review r ON r.job_id = i.job_id AND r.idx = i.idx;

-- Who reads it: the analyst role (views only, never the tables) and the runtime role (V25); the DROP
-- above took the grants with it.
GRANT SELECT ON image_history TO "${analyst_role}", "${runtime_role}";
