-- The feed's lock, waited for a little (issue 16, 2026-12-02).
--
-- A writer tries the feed's lock at its commit and, when another commit holds it, leaves its events to
-- the sequencer (SyncFeed.sequenceAtCommit): chunk commits never queue behind one lock. But a job's last
-- commit is what its client waits for, and the sequencer's way costs it a thread's wake-up, a transaction
-- and a flush more. In the benchmark of a million links on PostgreSQL 15, 18 of 73 small jobs found the lock
-- held (by a large job's chunk commit, which holds it through its flush) and took that way. So a job's last
-- commit waits for the lock, a few milliseconds at most: this function, which answers whether it got it.
-- The lock, once got, is the transaction's (the block's subtransaction hands it on when it ends without an
-- error); a wait that times out rolls back only the block, and lock_timeout with it.
CREATE FUNCTION feed_lock_within(lock_key bigint, wait_ms integer) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    previous text := current_setting('lock_timeout');
BEGIN
    PERFORM set_config('lock_timeout', wait_ms || 'ms', true);
    PERFORM pg_advisory_xact_lock(lock_key);
    PERFORM set_config('lock_timeout', previous, true);
    RETURN true;
EXCEPTION WHEN lock_not_available THEN
    RETURN false;
END
$$;
