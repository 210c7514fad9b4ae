-- GET /api/v1/jobs and /api/v1/batches list a team's rows newest first, by keyset on
-- (created_at, id): each page is one backward range read of these indexes from where the last
-- page ended, however deep the client pages. A batch's jobs are listed through
-- job_batch_order_idx (V23). An admin's list of every team has no index of its own: one more index
-- on every job insert is not worth it for an admin's occasional look.
CREATE INDEX job_team_created_idx ON job (team, created_at, id);
CREATE INDEX batch_team_created_idx ON batch (team, created_at, id);
