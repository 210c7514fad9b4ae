-- Issue 14: the dispatcher sizes its in-flight window from the workers that can take jobs now
-- (docs/adr/0014-priority-end-to-end.md), so it needs to know which workers were heard from
-- lately by the database's clock: last_seen is the worker's own clock (the heartbeat's send time)
-- and may be minutes off.
ALTER TABLE worker ADD COLUMN seen_at timestamptz NOT NULL DEFAULT now();
COMMENT ON COLUMN worker.seen_at IS 'database clock: when its newest heartbeat was recorded';

-- A worker that becomes ready adds capacity: wake the dispatcher at once rather than at its next
-- idle poll. Not on every heartbeat of a ready worker (READY <-> BUSY stays quiet).
CREATE TRIGGER worker_joined AFTER INSERT ON worker
    FOR EACH ROW WHEN (NEW.state IN ('READY', 'BUSY'))
    EXECUTE FUNCTION notify_job_queued();

CREATE TRIGGER worker_ready AFTER UPDATE OF state ON worker
    FOR EACH ROW WHEN (NEW.state IN ('READY', 'BUSY') AND OLD.state NOT IN ('READY', 'BUSY'))
    EXECUTE FUNCTION notify_job_queued();
