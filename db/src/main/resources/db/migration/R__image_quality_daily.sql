-- Quality, approval and speed per UTC day and group (issue 12): the figures of
-- GET /api/v1/analytics/summary, computed straight from the image rows, so an analyst can check
-- the API (which reads the closed days from image_daily) against SQL over the same rows.
-- approval_rate = approved / (approved + rejected), null while none is reviewed.
-- Repeatable: edit here only.

DROP VIEW IF EXISTS image_quality_daily;

CREATE VIEW image_quality_daily AS
SELECT (i.created_at AT TIME ZONE 'UTC')::date                            AS day,
       i.team,
       i.profile,
       i.step_profile,
       i.steps,
       i.model_id,
       count(*)                                                           AS images,
       avg(i.quality)                                                     AS mean_quality,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY i.quality)             AS p50_quality,
       count(*) FILTER (WHERE i.verdict = 'approved')                     AS approved,
       count(*) FILTER (WHERE i.verdict = 'rejected')                     AS rejected,
       count(*) FILTER (WHERE i.verdict = 'approved')::double precision
         / nullif(count(i.verdict), 0)                                    AS approval_rate,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY i.render_ms)           AS p50_render_ms,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY i.render_ms)          AS p95_render_ms,
       avg(i.queue_wait_ms)                                               AS mean_queue_wait_ms
FROM image i
GROUP BY 1, 2, 3, 4, 5, 6;

-- Who reads it: the analyst role (views only, never the tables) and the runtime role (V25); a DROP
-- takes the grants with it, so they are given again here.
GRANT SELECT ON image_quality_daily TO "${analyst_role}", "${runtime_role}";
