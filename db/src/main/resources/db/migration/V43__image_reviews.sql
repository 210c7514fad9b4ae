-- Reviews (issue 12): one current review per image, who gave it and when. The verdict and rating
-- are also kept on the image row (image.verdict, image.rating, by the trigger below), where the
-- analysts' queries and the retention sweeper of issue 11 read them without a join: an image with
-- image.verdict = 'approved' is never deleted (db/README.md has the predicate).
CREATE TABLE image_review (
    job_id      uuid        NOT NULL,
    idx         integer     NOT NULL,
    verdict     text        CHECK (verdict IN ('approved', 'rejected')),
    rating      integer     CHECK (rating BETWEEN 1 AND 5),
    note        text        CHECK (length(note) <= 2000),
    reviewer    text        NOT NULL,
    reviewed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, idx),
    FOREIGN KEY (job_id, idx) REFERENCES image (job_id, idx) ON DELETE CASCADE
);

ALTER TABLE image ADD COLUMN verdict text CHECK (verdict IN ('approved', 'rejected'));
ALTER TABLE image ADD COLUMN rating integer CHECK (rating BETWEEN 1 AND 5);

-- The image row follows its review, whoever writes the review: one place keeps them equal.
CREATE FUNCTION image_review_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE image SET verdict = NULL, rating = NULL WHERE job_id = OLD.job_id AND idx = OLD.idx;
        RETURN OLD;
    END IF;
    UPDATE image SET verdict = NEW.verdict, rating = NEW.rating
     WHERE job_id = NEW.job_id AND idx = NEW.idx
       AND (verdict IS DISTINCT FROM NEW.verdict OR rating IS DISTINCT FROM NEW.rating);
    RETURN NEW;
END $$;

CREATE TRIGGER image_review_synced AFTER INSERT OR UPDATE OR DELETE ON image_review
    FOR EACH ROW EXECUTE FUNCTION image_review_sync();
