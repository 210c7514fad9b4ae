-- Issue 14: Idempotency-Key on POST /api/v1/batches too. A catalogue's 202 lists counts and the
-- rejected rows, which no table keeps, so a retry is answered with the first answer itself: the
-- JSON the first request returned, stored in the same transaction as the batch. Null for keys of
-- single jobs, whose replay reads the job's current state instead.
ALTER TABLE idempotency_key ADD COLUMN answer text;
