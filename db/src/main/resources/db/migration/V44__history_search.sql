-- Analysts' history (issue 12): prompt search that works for English and Chinese, and the
-- indexes of the history page, the summaries and the seed ranking (docs/analytics.md).

-- Trigram search: prompt ILIKE '%red mug%' is answered from a GIN index (3 characters and more).
-- A trusted extension since PostgreSQL 13: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Chinese (and Japanese, Korean) words are often two characters, shorter than a trigram, and
-- pg_trgm only indexes characters its locale calls alphanumeric (none beyond ASCII in the C
-- locale). So every CJK character and every pair of adjacent CJK characters of a prompt is also
-- indexed as an array element: '%马克杯%' becomes grams @> {马,克,杯,马克,克杯}, which needs no
-- locale and works from one character up; the ILIKE then checks the order.
-- COST: about a thousand operators per prompt, so the planner evaluates it on as few rows as it can
-- (after the cheap conditions, or not at all when the index answers).
CREATE FUNCTION cjk_grams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
SELECT CASE
         WHEN t !~ '[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]'
           THEN '{}'::text[]
         ELSE ARRAY(
           SELECT DISTINCT g FROM (
               SELECT substr(t, i, 1) AS g FROM generate_series(1, length(t)) AS i
               UNION ALL
               SELECT substr(t, i, 2) FROM generate_series(1, length(t) - 1) AS i
           ) s
           WHERE g ~ '^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+$'
           ORDER BY g)
       END
$$;

CREATE INDEX image_prompt_trgm_idx ON image USING gin (prompt gin_trgm_ops);
CREATE INDEX image_prompt_cjk_idx ON image USING gin (cjk_grams(prompt));

-- The history page, newest first, keyset-paginated on (created_at, job_id, idx), farm-wide or
-- per team.
CREATE INDEX image_created_idx ON image (created_at DESC, job_id DESC, idx DESC);
CREATE INDEX image_team_created_idx ON image (team, created_at DESC, job_id DESC, idx DESC);
