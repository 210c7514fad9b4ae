-- Identity (issue 10): API keys and the audit trail.

-- An API key: only the SHA-256 of its secret is kept (the secret is shown once, at creation).
-- The secret is 256 random bits, so a fast hash is enough: there is nothing to guess by brute
-- force, unlike a password (docs/security.md).
CREATE TABLE api_key (
    id           uuid PRIMARY KEY,
    -- Hex SHA-256 of the whole key string, tf_ prefix included.
    secret_hash  text        NOT NULL UNIQUE CHECK (length(secret_hash) = 64),
    -- The first characters of the key (tf_ and 6 more), to recognise a key in a list.
    prefix       text        NOT NULL,
    -- Who holds the key: a person, a team's integration.
    name         text        NOT NULL,
    role         text        NOT NULL CHECK (role IN ('submitter', 'analyst', 'admin')),
    -- The key's own team: jobs and batches it submits belong to it.
    team         text        NOT NULL,
    -- Further teams an analyst key may read (empty for the other roles).
    read_teams   text[]      NOT NULL DEFAULT '{}',
    -- Requests per second for this key; null: the configured default for its role.
    rate_per_s   integer     CHECK (rate_per_s IS NULL OR rate_per_s > 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text        NOT NULL,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    -- Written at most once a minute per key and replica, not on every request.
    last_used_at timestamptz
);

-- Who did what: reviews, cancellations and every admin action.
CREATE TABLE audit_event (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    -- Key id or OIDC subject of the caller, and the key's name.
    actor_id   text        NOT NULL,
    actor_name text        NOT NULL,
    actor_role text        NOT NULL,
    actor_team text        NOT NULL,
    action     text        NOT NULL,
    target     text,
    detail     text
);

-- GET /api/v1/admin/audit pages newest first by id and filters by actor or action.
CREATE INDEX audit_event_actor_idx ON audit_event (actor_id, id DESC);
CREATE INDEX audit_event_action_idx ON audit_event (action, id DESC);
