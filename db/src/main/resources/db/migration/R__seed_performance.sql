-- How seeds fare (issue 12): per team, size profile, step profile and model, each seed's images,
-- verdicts and mean quality; the offsets of variants (their seed minus their parent's) in
-- seed_offset_performance. GET /api/v1/analytics/seeds ranks the same figures for one prompt.
-- approval_rate = approved / (approved + rejected). Repeatable: edit here only.

DROP VIEW IF EXISTS seed_performance;

CREATE VIEW seed_performance AS
SELECT i.team,
       i.profile,
       i.step_profile,
       i.model_id,
       i.seed,
       count(*)                                                           AS images,
       count(*) FILTER (WHERE i.verdict = 'approved')                     AS approved,
       count(*) FILTER (WHERE i.verdict = 'rejected')                     AS rejected,
       count(*) FILTER (WHERE i.verdict = 'approved')::double precision
         / nullif(count(i.verdict), 0)                                    AS approval_rate,
       avg(i.quality)                                                     AS mean_quality
FROM image i
GROUP BY 1, 2, 3, 4, 5;

DROP VIEW IF EXISTS seed_offset_performance;

CREATE VIEW seed_offset_performance AS
SELECT i.team,
       i.profile,
       i.step_profile,
       i.model_id,
       i.seed_offset,
       count(*)                                                           AS images,
       count(*) FILTER (WHERE i.verdict = 'approved')                     AS approved,
       count(*) FILTER (WHERE i.verdict = 'rejected')                     AS rejected,
       count(*) FILTER (WHERE i.verdict = 'approved')::double precision
         / nullif(count(i.verdict), 0)                                    AS approval_rate,
       avg(i.quality)                                                     AS mean_quality
FROM image i
WHERE i.derivation = 'variant'
GROUP BY 1, 2, 3, 4, 5;

-- Who reads it: the analyst role (views only, never the tables) and the runtime role (V25); a DROP
-- takes the grants with it, so they are given again here.
GRANT SELECT ON seed_performance, seed_offset_performance TO "${analyst_role}", "${runtime_role}";
