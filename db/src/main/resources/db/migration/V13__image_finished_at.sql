-- When the worker produced each result (its clock), next to created_at (when the coordinator
-- recorded it): together with job.created_at, job.dispatched_at, queue_wait_ms and render_ms they
-- split a job's latency into hops (docs/benchmarks.md, "Farm overhead"). Null for rows recorded
-- before this column existed.
ALTER TABLE image ADD COLUMN finished_at timestamptz;

COMMENT ON COLUMN image.finished_at IS 'worker clock: result published (after the PNG was written)';
COMMENT ON COLUMN image.created_at IS 'coordinator: result recorded';
