-- Cursors are given by a sequencer, no longer by each writer under one lock (issue 16).
--
-- Until now (V2) every transaction that wrote events took one advisory lock before drawing cursors, and
-- held it to its commit: every chunk commit of every job, worker and instance queued behind that one lock,
-- from its event write through its commit's WAL flush. (This note replaces what V2's comment says of how
-- cursors are drawn; its reason, that sequence values drawn at insert time need not follow commit order,
-- still holds.)
--
-- Now a writer inserts its events with cursor NULL, in its own transaction, and takes no lock: chunk
-- commits of different jobs and workers do not wait on each other. Events without a cursor are invisible
-- to readers (they read cursor > N). The sequencer (SyncFeed.sequence) gives them cursors afterwards: in
-- a short transaction of its own it takes the advisory lock, gives every committed event without a cursor
-- one from the sequence, in insert order (id), notifies the readers, and commits before the lock is
-- released. Sequencers are serialized by the lock, and each one's cursors are visible before the next draws
-- any, so cursors still follow the order in which readers can see them: a reader that has read cursor N
-- never later sees an event at or below N, and misses none. The lock is held by sequencers only, a few
-- milliseconds each. Each event is written twice (inserted, then its cursor set): the price of the above.
-- Measured 2026-11-30 (pgbench, PostgreSQL 15, 2 cores, 8 clients each committing one event a transaction,
-- one sequencer every 5 ms): with the lock held to commit, 85 % of the writers' sampled time was spent
-- waiting on it, 3,400 commits a second; without it none, 8,200 a second (they wait on the WAL flush
-- together instead: group commit).
ALTER TABLE sync_event DROP CONSTRAINT sync_event_pkey;
ALTER TABLE sync_event ALTER COLUMN cursor DROP NOT NULL;
-- Insert order: the sequencer's order within one run. A progress event that moves to a new cursor takes a
-- new id too, so it follows whatever was written before it.
ALTER TABLE sync_event ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE sync_event ADD PRIMARY KEY (id);
-- Readers read in cursor order, from a cursor (NULLs are distinct, so any number of them may wait).
CREATE UNIQUE INDEX sync_event_by_cursor ON sync_event (cursor);
-- The events waiting for a cursor: tiny, as they wait milliseconds; lets "is any waiting?" cost nothing.
CREATE INDEX sync_event_unsequenced ON sync_event (id) WHERE cursor IS NULL;
