-- The manifest is read in pages by keyset (a batch's jobs in catalogue order, a few thousand per
-- page, each page its own short query), so a client that reads slowly holds no pooled connection
-- between pages. This index serves each page straight from where the last one ended; bulk rows
-- only (single jobs have no batch), and catalogue order is created_at (a microsecond apart).
CREATE INDEX job_batch_order_idx ON job (batch_id, created_at, id) WHERE batch_id IS NOT NULL;
