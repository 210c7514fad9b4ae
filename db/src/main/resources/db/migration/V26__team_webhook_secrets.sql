-- One webhook signing secret per team (Standard Webhooks, whsec_<base64 key>): made on the team's
-- first webhook, set or rotated by an admin (PUT/POST /api/v1/admin/teams/{team}/webhook-secret).
-- Kept as it is, not hashed: the coordinator needs the key itself to sign. The runtime role reads
-- it to sign; the analyst role never sees it (no grant).
CREATE TABLE team_webhook_secret (
    team       text PRIMARY KEY,
    secret     text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
