-- Issue 14: worker capabilities and admin control (docs/adr/0016-worker-control.md).
-- memory_budget_pixels: the most pixels one sampler batch of the worker may hold, from its
-- heartbeat (NULL: an older worker that does not say). A job whose single image is larger than
-- every known worker of its model can render is answered 422 at intake.
ALTER TABLE worker ADD COLUMN memory_budget_pixels bigint;
-- control: the admin command in force for the worker (NULL: it takes jobs); the coordinator's
-- record, sent to the worker on the compacted turbofarm.control topic. control_applied is what the
-- worker's newest heartbeat says it applies, so an admin sees whether the command arrived.
ALTER TABLE worker ADD COLUMN control text CHECK (control IN ('CORDONED', 'DRAINING', 'QUARANTINED'));
ALTER TABLE worker ADD COLUMN control_reason text;
ALTER TABLE worker ADD COLUMN control_at timestamptz;
ALTER TABLE worker ADD COLUMN control_applied text;
