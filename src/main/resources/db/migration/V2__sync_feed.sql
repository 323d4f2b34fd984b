-- The sync feed (Unicat style): every job state and progress change, and every chunk of links a job
-- writes, as an event with a cursor that only grows.
--
-- Cursors follow commit order, so a reader that has seen cursor N has seen everything below it: a
-- transaction writing events first takes one advisory lock, held to its commit, and only then draws
-- cursors from the sequence. (Sequence values alone are drawn at insert time, and a transaction that
-- drew 99 could commit after one that drew 100 and was already read.) Writers take the lock last,
-- after any job row, so the lock order is always job row, then feed.
CREATE SEQUENCE sync_event_cursor;

CREATE TABLE sync_event (
    cursor      bigint PRIMARY KEY,
    project     text NOT NULL,
    action      text NOT NULL CHECK (action IN ('INSERT', 'UPDATE', 'DELETE')),
    data_type   text NOT NULL,
    data_key    text NOT NULL,
    -- A job keeps one progress event at most: a newer one takes its place at a new cursor, and the
    -- job's final status removes it. Readers that keep up see every chunk; others get the latest.
    progress    boolean NOT NULL DEFAULT false,
    -- json, not jsonb: stored and answered as written, keys in their order; never queried inside.
    data        json NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_event_by_project ON sync_event (project, cursor);
CREATE INDEX sync_event_by_key ON sync_event (data_key, cursor);
CREATE UNIQUE INDEX sync_event_progress ON sync_event (data_key) WHERE progress;
CREATE INDEX sync_event_by_age ON sync_event (created_at);

-- Events older than the retention are trimmed; a reader behind trimmed_through must resync.
CREATE TABLE sync_feed (
    id              boolean PRIMARY KEY DEFAULT true CHECK (id),
    trimmed_through bigint NOT NULL DEFAULT 0
);
INSERT INTO sync_feed DEFAULT VALUES;
