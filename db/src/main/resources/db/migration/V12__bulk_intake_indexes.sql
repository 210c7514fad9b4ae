-- Faster bulk intake (docs/benchmarks.md, "Bulk intake"): fewer per-row costs during a COPY.

-- job.batch_id stays without a foreign key: its check is a per-row trigger during a 100k-row
-- COPY. The batch row and its jobs are written in one transaction by BatchService instead.
ALTER TABLE job DROP CONSTRAINT IF EXISTS job_batch_id_fkey;

-- Interactive jobs (priority above 0) go first across all teams; bulk rows (priority 0) are found
-- through job_queued_team_idx (V3) and stay out of this index, so a COPY maintains one queue
-- index instead of two.
DROP INDEX IF EXISTS job_queued_idx;
CREATE INDEX job_queued_interactive_idx ON job (priority DESC, created_at)
    WHERE state = 'QUEUED' AND priority > 0;
