-- The instances of the service, as each records itself every few seconds (dev.bulklinks.monitoring.Instances):
-- the dashboard shows those alive and, greyed out, those gone; rows of instances gone long ago are dropped.
CREATE TABLE instance (
    name                text PRIMARY KEY,
    started_at          timestamptz NOT NULL,
    seen_at             timestamptz NOT NULL,
    -- Set by a clean shutdown; an instance that died keeps NULL and is gone once seen_at is old.
    stopped_at          timestamptz,
    workers             integer NOT NULL,
    workers_busy        integer NOT NULL,
    chunks_last_minute  integer NOT NULL
);
