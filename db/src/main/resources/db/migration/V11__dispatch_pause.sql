-- An admin's pause of dispatch, farm-wide (every coordinator replica reads it): at most one row.
-- While it exists nothing new goes to Kafka; jobs are still accepted and wait QUEUED.
CREATE TABLE dispatch_pause (
    id        integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    paused_at timestamptz NOT NULL DEFAULT now(),
    reason    text        NOT NULL
);

-- Resuming wakes the dispatchers at once.
CREATE FUNCTION notify_dispatch_resumed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('job_queued', '');
    RETURN NULL;
END $$;

CREATE TRIGGER dispatch_resumed AFTER DELETE ON dispatch_pause
    FOR EACH STATEMENT EXECUTE FUNCTION notify_dispatch_resumed();
