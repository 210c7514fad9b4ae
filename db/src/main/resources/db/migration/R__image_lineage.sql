-- Lineage edges (issue 12): every derived image with the image it came from, how (variant, refine,
-- rerun), and its seed's offset from the parent's (child seed - parent seed mod 2^32). An image's
-- whole ancestry: follow parent_job_id/parent_image_index with a recursive CTE
-- (docs/analytics.md has one). Repeatable: edit here only.

DROP VIEW IF EXISTS image_lineage;

CREATE VIEW image_lineage AS
SELECT c.job_id,
       c.idx           AS image_index,
       c.parent_job_id,
       c.parent_idx    AS parent_image_index,
       c.derivation,
       c.seed,
       p.seed          AS parent_seed,
       c.seed_offset,
       c.steps,
       p.steps         AS parent_steps,
       c.quality,
       p.quality       AS parent_quality,
       c.verdict,
       c.model_id,
       c.team,
       c.created_at    AS rendered_at
FROM image c
LEFT JOIN image p ON p.job_id = c.parent_job_id AND p.idx = c.parent_idx
WHERE c.parent_job_id IS NOT NULL;

-- Who reads it: the analyst role (views only, never the tables) and the runtime role (V25); a DROP
-- takes the grants with it, so they are given again here.
GRANT SELECT ON image_lineage TO "${analyst_role}", "${runtime_role}";
