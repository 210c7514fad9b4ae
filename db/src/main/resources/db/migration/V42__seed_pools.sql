-- Each team's seed pool (issue 12): the offsets a variants job adds to its parent's seed. A team
-- without a row uses the default pool (42, 123, 888, 2024, 9999).
CREATE TABLE seed_pool (
    team       text        PRIMARY KEY,
    offsets    bigint[]    NOT NULL CHECK (cardinality(offsets) BETWEEN 1 AND 8),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text        NOT NULL
);
