package dev.bulklinks.progress;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Wakes this instance's sequencer ({@link FeedListener}) when a transaction that wrote events commits:
 * they wait without a cursor until {@link SyncFeed#sequence()} gives them one.
 *
 * <p>In the process, not by a database NOTIFY from the writer: PostgreSQL serializes the commits of all
 * transactions that notify (one lock on the whole cluster, from before commit to its end, WAL flush included:
 * {@code PreCommit_Notify} in {@code async.c}), which would queue every chunk commit behind one lock again:
 * measured 2026-11-30 (pgbench, PostgreSQL 15, 8 clients committing one event each transaction), 4,000
 * commits a second with a NOTIFY each, mostly waiting on that lock, against 6,200 without.
 * Other instances learn of the events from the sequencer's own notification, and the sequencer of every
 * instance also runs each poll interval, for events whose instance died before sequencing them.
 */
@ApplicationScoped
class PendingEvents {

    /** The key that marks a transaction as already followed, so that it registers once. */
    private final Object key = new Object();
    private final TransactionSynchronizationRegistry transactions;
    private boolean signalled;

    PendingEvents(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    /** Events were written in the caller's transaction: wakes the sequencer once it commits (at once without one). */
    void written() {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            // No transaction (the write committed by itself), or one that can only roll back: nothing to
            // wait for; a spurious run costs one EXISTS.
            signal();
            return;
        }
        if (transactions.getResource(key) == null) {
            transactions.putResource(key, Boolean.TRUE);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        signal();
                    }
                }
            });
        }
    }

    /** Wakes the sequencer: many signals before it wakes make one run. */
    synchronized void signal() {
        signalled = true;
        notifyAll();
    }

    /**
     * Waits until signalled, or {@code millis} at most, and clears the signal: a signal that comes while
     * the sequencer runs makes it run once more.
     */
    synchronized void await(long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000;
        while (!signalled) {
            long left = (until - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        signalled = false;
    }
}
