-- Step profiles beside the size profiles (issue 12): how long the sampler works, by purpose.
-- explore = a quick look over many seeds, daily = the everyday setting, final = the catalogue
-- render. Each size profile names its default step profile; a job may name another (or a number).

CREATE TABLE step_profile (
    name        text PRIMARY KEY,
    steps       integer NOT NULL CHECK (steps BETWEEN 1 AND 100),
    description text    NOT NULL,
    position    integer NOT NULL
);

INSERT INTO step_profile (name, steps, description, position) VALUES
    ('explore', 10, 'a quick look: many seeds, few steps', 1),
    ('daily',   30, 'the everyday setting', 2),
    ('final',   40, 'the render that goes to the catalogue', 3);

-- A size profile edited by an admin to steps the three do not cover keeps them through a step
-- profile of its own.
INSERT INTO step_profile (name, steps, description, position)
SELECT DISTINCT 'steps-' || steps, steps, steps || ' steps (kept from an earlier size profile)',
       100 + steps
  FROM profile WHERE steps NOT IN (10, 30, 40);

ALTER TABLE profile ADD COLUMN step_profile text REFERENCES step_profile (name);
-- As today's step counts: draft -> explore (10), the others -> daily (30).
UPDATE profile SET step_profile = CASE steps WHEN 10 THEN 'explore' WHEN 30 THEN 'daily'
                                             WHEN 40 THEN 'final' ELSE 'steps-' || steps END;
ALTER TABLE profile ALTER COLUMN step_profile SET NOT NULL;
-- The steps now live in the step profile only: one source of truth.
ALTER TABLE profile DROP COLUMN steps;
