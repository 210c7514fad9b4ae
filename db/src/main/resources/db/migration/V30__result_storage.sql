-- Results reach people (issue 11): an image is known by its key in the result store, never by a
-- host path, with the SHA-256, size and CRC-32 of its stored bytes and the thumbnails beside it;
-- retention per team deletes old images and marks their rows.

-- The key in the result store: <first two hex digits of the job id>/<job id>/<index>.png. Rows
-- recorded before this migration get the key their path was derived from.
ALTER TABLE image ADD COLUMN storage_key text;
UPDATE image SET storage_key = substr(job_id::text, 1, 2) || '/' || job_id::text || '/' || idx || '.png';
ALTER TABLE image ALTER COLUMN storage_key SET NOT NULL;

-- A host path is no longer recorded (schema-2 results carry none); old rows keep theirs.
ALTER TABLE image ALTER COLUMN path DROP NOT NULL;

-- Of the stored PNG: lower-case hex SHA-256 (the ETag and the manifest's checksum), size in bytes,
-- and CRC-32 (ZIP entries are written STORED, which needs it before the bytes). Null for images
-- recorded before checksums existed.
ALTER TABLE image ADD COLUMN sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$');
ALTER TABLE image ADD COLUMN bytes bigint CHECK (bytes >= 0);
ALTER TABLE image ADD COLUMN crc32 bigint CHECK (crc32 BETWEEN 0 AND 4294967295);
-- Sizes (px, the longer side) of the JPEG thumbnails the worker stored beside the PNG.
ALTER TABLE image ADD COLUMN thumbnails integer[] NOT NULL DEFAULT '{}';
-- When retention deleted the image (and its thumbnails) from the store; its URL answers 410 since.
ALTER TABLE image ADD COLUMN expired_at timestamptz;

COMMENT ON COLUMN image.storage_key IS 'key in the result store: <2 hex>/<job id>/<index>.png';
COMMENT ON COLUMN image.sha256 IS 'hex SHA-256 of the stored PNG, computed by the worker before writing';
COMMENT ON COLUMN image.expired_at IS 'retention deleted the stored image at this time';

-- The retention sweeper's scan: live images, oldest first.
CREATE INDEX image_live_created_idx ON image (created_at) WHERE expired_at IS NULL;

-- Retention per team: images older than days are deleted from the store; no row (or days null)
-- keeps them forever. Approved images stay unless delete_approved (see image_retention_exempt).
CREATE TABLE team_retention (
    team            text PRIMARY KEY,
    days            integer CHECK (days >= 1),
    delete_approved boolean     NOT NULL DEFAULT false,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
