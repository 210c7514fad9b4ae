-- The one predicate the retention sweeper asks before it deletes an image: true keeps the image
-- (an approved one) unless its team's policy says delete_approved. Repeatable, so the issue that
-- brings reviews (issue 12) edits this file only, e.g. to
--     SELECT i.verdict IS NOT DISTINCT FROM 'approved'
-- or an EXISTS over its review table; see db/README.md. Until reviews exist, nothing is approved.

CREATE OR REPLACE FUNCTION image_retention_exempt(i image) RETURNS boolean
    LANGUAGE sql STABLE
AS $$
    SELECT false
$$;
