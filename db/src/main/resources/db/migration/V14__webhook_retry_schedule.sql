-- Completion webhooks are scheduled in PostgreSQL: each coordinator replica's scheduler claims the
-- deliveries that are due, so retries survive a restart and no two replicas send one at once.

-- Delivery attempts made so far.
ALTER TABLE batch ADD COLUMN webhook_attempts integer NOT NULL DEFAULT 0;
-- When the next attempt is due (the database's clock); null when none is: no webhook, delivered,
-- or given up. While an attempt runs it holds the claim: due again only if that replica died.
ALTER TABLE batch ADD COLUMN webhook_next_at timestamptz;

-- Webhooks an earlier version had not delivered yet (it retried in memory): due now.
UPDATE batch SET webhook_next_at = now()
 WHERE completed_at IS NOT NULL AND webhook_url IS NOT NULL
   AND (webhook_status IS NULL OR webhook_status LIKE 'retrying%');

CREATE INDEX batch_webhook_due_idx ON batch (webhook_next_at) WHERE webhook_next_at IS NOT NULL;
