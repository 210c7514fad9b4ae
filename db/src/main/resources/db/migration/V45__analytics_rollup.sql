-- Per-day summaries of closed days (issue 12, docs/analytics.md): analytics/summary reads these
-- for the days they cover and the image rows for the rest (today, and any day changed since its
-- rollup), so its figures stay exact. Everything a summary shows merges exactly across days:
-- counts and sums add up, and the percentiles come from each group's values, kept whole and sorted
-- (a day's rollup loses nothing, it only packs many rows into one).

-- One row per UTC day and combination of the dimensions a summary groups by.
CREATE TABLE image_daily (
    day            date             NOT NULL,
    team           text,
    profile        text,
    step_profile   text,
    steps          integer,
    model_id       text,
    width          integer,
    height         integer,
    guidance       double precision,
    images         bigint           NOT NULL,
    approved       bigint           NOT NULL,
    rejected       bigint           NOT NULL,
    queue_wait_sum bigint           NOT NULL,
    -- Every non-null quality of the group, ascending, each as float8send() (8 bytes, big-endian).
    quality        bytea            NOT NULL,
    -- Every render_ms of the group, ascending, each as int8send() (8 bytes, big-endian).
    render_ms      bytea            NOT NULL
);
CREATE INDEX image_daily_day_idx ON image_daily (day);

-- The days rolled up. A change to an image row of such a day (a late insert, a review, a
-- retention delete) marks the day dirty until its next rollup; a dirty day is read from the image
-- rows. version counts the changes, so a rollup that raced one leaves the day dirty.
CREATE TABLE image_daily_day (
    day         date        PRIMARY KEY,
    rolled_at   timestamptz NOT NULL,
    dirty       boolean     NOT NULL DEFAULT false,
    version     bigint      NOT NULL DEFAULT 0
);

CREATE FUNCTION image_daily_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE image_daily_day d SET dirty = true, version = d.version + 1
         WHERE d.day IN (SELECT DISTINCT (n.created_at AT TIME ZONE 'UTC')::date FROM new_rows n);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE image_daily_day d SET dirty = true, version = d.version + 1
         WHERE d.day IN (SELECT DISTINCT (o.created_at AT TIME ZONE 'UTC')::date FROM old_rows o);
    END IF;
    RETURN NULL;
END $$;

-- Statement level: one check per statement (a COPY, a batch of results), not per row.
CREATE TRIGGER image_daily_inserted AFTER INSERT ON image
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION image_daily_touch();
CREATE TRIGGER image_daily_updated AFTER UPDATE ON image
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION image_daily_touch();
CREATE TRIGGER image_daily_deleted AFTER DELETE ON image
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION image_daily_touch();
