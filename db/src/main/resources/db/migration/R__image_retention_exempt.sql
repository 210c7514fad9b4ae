-- The one predicate the retention sweeper asks before it deletes an image: true keeps the image
-- unless its team's policy says delete_approved. An image whose current review approved it is
-- kept (issue 12: image.verdict follows image_review through the trigger image_review_synced).
-- Repeatable: edit this file only; see db/README.md.

CREATE OR REPLACE FUNCTION image_retention_exempt(i image) RETURNS boolean
    LANGUAGE sql STABLE
AS $$
    SELECT i.verdict IS NOT DISTINCT FROM 'approved'
$$;
