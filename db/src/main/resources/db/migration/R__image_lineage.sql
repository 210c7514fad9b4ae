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

-- The analyst database role (issue 10 creates it) reads the views only. Granted here, after the
-- CREATE, because the DROP above takes grants with it; a role created later gets the grant on the
-- next change of this file, or by hand (docs/analytics.md).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'turbofarm_analyst') THEN
        EXECUTE 'GRANT SELECT ON image_lineage TO turbofarm_analyst';
    END IF;
END $$;
