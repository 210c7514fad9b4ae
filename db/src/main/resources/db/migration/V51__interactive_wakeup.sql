-- Issue 14: interactive jobs have a dispatcher thread of their own (docs/adr/0014-priority-end-to-end.md),
-- which sleeps on its own channel so that it wakes when an interactive job waits, not at every
-- finished bulk job. A row trigger with a WHEN clause: a bulk COPY only evaluates the condition.
CREATE FUNCTION notify_interactive_queued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('job_interactive', '');
    RETURN NULL;
END $$;

CREATE TRIGGER job_interactive_inserted AFTER INSERT ON job
    FOR EACH ROW WHEN (NEW.priority > 0)
    EXECUTE FUNCTION notify_interactive_queued();

CREATE TRIGGER job_interactive_requeued AFTER UPDATE OF state ON job
    FOR EACH ROW WHEN (NEW.state = 'QUEUED' AND OLD.state <> 'QUEUED' AND NEW.priority > 0)
    EXECUTE FUNCTION notify_interactive_queued();
