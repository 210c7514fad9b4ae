-- Issue 12: each job names its model and step profile; a derived job names its parent image; each
-- image row carries what analysts filter and group by, so history queries read one table.

-- The model that must render the job (workers serve one model each; the dispatcher sends a job to
-- its model's topic). Null only for jobs queued before this migration: they go to the farm's
-- default model.
ALTER TABLE job ADD COLUMN model text;
-- The step profile the steps came from; null when the caller gave a number.
ALTER TABLE job ADD COLUMN step_profile text;
-- Lineage: the image a derived job starts from (no foreign key: lineage outlives a deleted parent),
-- and how its images were derived.
ALTER TABLE job ADD COLUMN parent_job_id uuid;
ALTER TABLE job ADD COLUMN parent_idx integer;
ALTER TABLE job ADD COLUMN derivation text CHECK (derivation IN ('variant', 'refine', 'rerun'));
ALTER TABLE job ADD CONSTRAINT job_lineage_check
    CHECK ((parent_job_id IS NULL) = (parent_idx IS NULL)
       AND (parent_job_id IS NULL) = (derivation IS NULL));

-- Old rows: the step profile whose steps they used, when it was their profile's default.
UPDATE job j SET step_profile = p.step_profile
  FROM profile p, step_profile s
 WHERE p.name = j.profile AND s.name = p.step_profile AND s.steps = j.steps;

-- An image's children (a derived job is created before its images exist). Partial: catalogue
-- rows never have a parent, so a bulk COPY does not maintain it.
CREATE INDEX job_parent_idx ON job (parent_job_id, parent_idx) WHERE parent_job_id IS NOT NULL;

-- Image rows copy, when they are recorded, what analysts filter and group by (the job row is the
-- work item and changes; the image row is the record of what was made).
ALTER TABLE image ADD COLUMN team text;
ALTER TABLE image ADD COLUMN batch_id uuid;
-- The size profile it was rendered at: the job's, or its fallback when it fell back.
ALTER TABLE image ADD COLUMN profile text;
ALTER TABLE image ADD COLUMN step_profile text;
ALTER TABLE image ADD COLUMN prompt text;
ALTER TABLE image ADD COLUMN parent_job_id uuid;
ALTER TABLE image ADD COLUMN parent_idx integer;
ALTER TABLE image ADD COLUMN derivation text CHECK (derivation IN ('variant', 'refine', 'rerun'));
-- seed - parent's seed mod 2^32: the pool offset a variant came from (0 for refine and rerun).
ALTER TABLE image ADD COLUMN seed_offset bigint;

UPDATE image i SET team = j.team, batch_id = j.batch_id,
                   profile = coalesce(i.fallback_profile, j.profile),
                   step_profile = CASE WHEN i.fallback_profile IS NULL THEN j.step_profile END,
                   prompt = j.prompt
  FROM job j WHERE j.id = i.job_id;

CREATE INDEX image_parent_idx ON image (parent_job_id, parent_idx)
    WHERE parent_job_id IS NOT NULL;
