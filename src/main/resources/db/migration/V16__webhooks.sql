-- Webhooks (dev.bulklinks.webhook): a project's endpoints that hear of its jobs, and the outbox of
-- deliveries to them. A delivery row is written in the transaction that changed the job, so an event
-- is sent exactly when the change commits; any instance then sends it (claimed FOR UPDATE SKIP LOCKED).
CREATE TABLE webhook (
    id              uuid PRIMARY KEY,
    project         text NOT NULL REFERENCES project ON DELETE CASCADE,
    url             text NOT NULL CHECK (length(url) <= 2048),
    events          text[] NOT NULL CHECK (events <@ ARRAY['job.finished', 'job.progress'] AND cardinality(events) > 0),
    -- job.progress is sent at most once per this many seconds and job.
    progress_every  integer NOT NULL DEFAULT 60 CHECK (progress_every BETWEEN 1 AND 86400),
    -- Signs every delivery (HMAC-SHA256); shown once, when the webhook is registered.
    secret          text NOT NULL,
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_project ON webhook (project, created_at);

-- One event for one webhook. Its id is sent with every attempt, so a receiver can drop repeats.
-- state: pending (to send; next_attempt_at says when, and doubles as the lease of the instance
-- sending it), delivered (a 2xx came back), failed (no 2xx before the retry window closed).
CREATE TABLE webhook_delivery (
    id               uuid PRIMARY KEY,
    -- Orders a webhook's deliveries for paging (next_cursor), newest first.
    seq              bigint GENERATED ALWAYS AS IDENTITY,
    webhook          uuid NOT NULL REFERENCES webhook ON DELETE CASCADE,
    event            text NOT NULL CHECK (event IN ('job.finished', 'job.progress')),
    job              uuid NOT NULL,
    payload          text NOT NULL,
    state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_status      integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz
);
-- The sender's claim walks only what is due.
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE state = 'pending';
-- A webhook's deliveries, newest first; and the progress throttle's look-up per job.
CREATE INDEX webhook_delivery_by_webhook ON webhook_delivery (webhook, seq DESC);
CREATE INDEX webhook_delivery_progress ON webhook_delivery (webhook, job, created_at DESC) WHERE event = 'job.progress';
