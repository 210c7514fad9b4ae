-- Jobs, their images, and the worker registry. PostgreSQL is the source of truth for job state;
-- Kafka only carries dispatches and results.

CREATE TABLE profile (
    name        text PRIMARY KEY,
    width       integer          NOT NULL CHECK (width % 64 = 0),
    height      integer          NOT NULL CHECK (height % 64 = 0),
    steps       integer          NOT NULL CHECK (steps BETWEEN 1 AND 100),
    guidance    double precision NOT NULL CHECK (guidance BETWEEN 0 AND 20),
    description text             NOT NULL,
    position    integer          NOT NULL
);

-- The defaults from field experience with Z-Image-Turbo web UIs (docs: DESIGN.md, profiles).
-- Steps follow the step profiles: explore = 10 for drafts, daily = 30 for the rest.
INSERT INTO profile (name, width, height, steps, guidance, description, position) VALUES
    ('article-landscape', 1024, 576, 30, 6.0, 'article and banner images', 1),
    ('portrait',          576, 1024, 30, 6.0, 'people, mobile, vertical', 2),
    ('concept-square',    768,  768, 30, 6.0, 'concept and info graphics, product mains', 3),
    ('draft',             512,  512, 10, 6.0, 'quick drafts, style tests', 4);

CREATE TABLE job (
    id              uuid PRIMARY KEY,
    team            text             NOT NULL,
    state           text             NOT NULL CHECK (state IN ('QUEUED', 'DISPATCHED', 'SUCCEEDED', 'FAILED')),
    reason          text,
    prompt          text             NOT NULL,
    negative_prompt text             NOT NULL DEFAULT '',
    profile         text             NOT NULL,
    width           integer          NOT NULL,
    height          integer          NOT NULL,
    steps           integer          NOT NULL,
    guidance        double precision NOT NULL,
    seeds           bigint[]         NOT NULL,
    image_count     integer          NOT NULL CHECK (image_count BETWEEN 1 AND 8),
    priority        integer          NOT NULL DEFAULT 0,
    attempt         integer          NOT NULL DEFAULT 0,
    created_at      timestamptz      NOT NULL DEFAULT now(),
    dispatched_at   timestamptz,
    completed_at    timestamptz
);

-- The dispatcher's outbox scan: only queued rows, in the order they go out.
CREATE INDEX job_queued_idx ON job (priority DESC, created_at) WHERE state = 'QUEUED';
CREATE INDEX job_dispatched_idx ON job (dispatched_at) WHERE state = 'DISPATCHED';

-- One row per (job, image index): a duplicate result cannot add a second image.
CREATE TABLE image (
    job_id        uuid             NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    idx           integer          NOT NULL,
    path          text             NOT NULL,
    seed          bigint           NOT NULL,
    width         integer          NOT NULL,
    height        integer          NOT NULL,
    steps         integer          NOT NULL,
    guidance      double precision NOT NULL,
    model_id      text             NOT NULL,
    worker_id     text             NOT NULL,
    batch_size    integer          NOT NULL,
    queue_wait_ms bigint           NOT NULL,
    render_ms     bigint           NOT NULL,
    quality       double precision,
    sharpness     double precision,
    attempt       integer          NOT NULL,
    created_at    timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, idx)
);

CREATE TABLE worker (
    id                text PRIMARY KEY,
    host              text             NOT NULL,
    state             text             NOT NULL,
    model_id          text,
    max_batch_size    integer          NOT NULL,
    current_batch     integer          NOT NULL,
    jobs_in_flight    integer          NOT NULL,
    images_rendered   bigint           NOT NULL,
    images_per_second double precision NOT NULL,
    heap_used_bytes   bigint           NOT NULL,
    rss_bytes         bigint           NOT NULL,
    first_seen        timestamptz      NOT NULL DEFAULT now(),
    last_seen         timestamptz      NOT NULL
);

-- Wake the dispatcher (LISTEN job_queued) when work becomes available. Statement level for
-- inserts so a 100k-row COPY sends one notification, not 100k.
CREATE FUNCTION notify_job_queued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('job_queued', '');
    RETURN NULL;
END $$;

CREATE TRIGGER job_inserted AFTER INSERT ON job
    FOR EACH STATEMENT EXECUTE FUNCTION notify_job_queued();

CREATE TRIGGER job_requeued AFTER UPDATE OF state ON job
    FOR EACH ROW WHEN (NEW.state = 'QUEUED' AND OLD.state <> 'QUEUED')
    EXECUTE FUNCTION notify_job_queued();
