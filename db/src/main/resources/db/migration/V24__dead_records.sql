-- Records the consumers could not accept, as they lie in the dead-letter topics: the workers'
-- share group's (dlq.turbofarm.jobs, REJECTed or over the delivery limit) and the coordinator's own
-- (dlq.turbofarm.results, dlq.turbofarm.heartbeats). One row per dead-letter record, written by
-- the coordinator's reader of those topics; GET /api/v1/admin/dead-letters?source=topics lists
-- them. Text columns hold sanitised text only (the records themselves may hold anything).
CREATE TABLE dead_record (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_topic     text        NOT NULL,
    source_partition integer,
    source_offset    bigint,
    consumer_group   text,
    dlq_topic        text        NOT NULL,
    dlq_partition    integer     NOT NULL,
    dlq_offset       bigint      NOT NULL,
    record_key       text,
    reason           text        NOT NULL,
    value_size       integer     NOT NULL,
    -- The first bytes of the record's value (at most 256), as they were.
    value_head       bytea       NOT NULL,
    dead_lettered_at timestamptz NOT NULL DEFAULT now(),
    -- A reader that reads a dead letter twice (a retry after a crash) stores it once.
    UNIQUE (dlq_topic, dlq_partition, dlq_offset)
);

CREATE INDEX dead_record_recent_idx ON dead_record (dead_lettered_at DESC, id DESC);
