package dev.bulklinks.progress;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.SQLException;

/**
 * Sees to it that the events a transaction wrote get their cursors: just before it commits, the writer
 * numbers them itself if the feed's lock is free ({@link SyncFeed#sequenceAtCommit}); if not, this wakes
 * the instance's sequencer ({@link FeedListener}) once the transaction committed, and the events wait
 * without a cursor until {@link SyncFeed#sequence()} gives them one.
 *
 * <p>Only a writer that holds the feed's lock sends a NOTIFY: PostgreSQL serializes the commits of all
 * transactions that notify (one lock on the whole cluster, from before commit to its end, WAL flush included:
 * {@code PreCommit_Notify} in {@code async.c}), which, for every writer, would queue every chunk commit
 * behind one lock again: measured 2026-11-30 (pgbench, PostgreSQL 15, 8 clients committing one event each
 * transaction), 4,000 commits a second with a NOTIFY each, mostly waiting on that lock, against 6,200
 * without. The holders of the feed's lock are serialized already. Other instances learn of the events from
 * that notification, and the sequencer of every instance also runs each poll interval, for events whose
 * instance died before they were numbered.
 */
@ApplicationScoped
class PendingEvents {

    /** The key under which a transaction keeps its {@link Sequencing}, so that it registers once. */
    private final Object key = new Object();
    /**
     * How long the sequencer leaves events that could wait ({@link #LATER}) to the next writer's commit: a
     * small job's queued and processing events are numbered by its run's commit a few milliseconds later, and
     * two transactions of the sequencer, with their flushes and the feed's lock, are saved (2026-12-02).
     */
    static final long LATER_BY_MILLIS = 100;

    private final TransactionSynchronizationRegistry transactions;
    private boolean signalled;
    /** When the sequencer is due for events left for later (System.nanoTime), or 0 when none are. */
    private long dueAt;

    PendingEvents(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    /** Gives the cursors in a writer's transaction, just before its commit, when it can: {@link SyncFeed#sequenceAtCommit}. */
    interface AtCommit {
        /** Answers whether it gave them (else the sequencer will). */
        boolean sequence() throws SQLException;
    }

    /** For events whose cursors can wait for the sequencer: nothing is done at the commit. */
    static final AtCommit LATER = () -> false;

    /**
     * Numbering at the commit that ends a job, which may wait a little for the feed's lock; it goes before
     * any other the transaction asked for.
     */
    interface AtJobEnd extends AtCommit {
    }

    /**
     * Events were written in the caller's transaction: just before it commits, {@code atCommit} gives
     * them their cursors if it can; if it could not, the sequencer is woken once the transaction
     * committed (at once without one). A transaction whose writes asked for {@link #LATER} and for
     * numbering at commit is numbered at commit; one that ends a job, as its end asks ({@link AtJobEnd}).
     */
    void written(AtCommit atCommit) {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            // No transaction (the write committed by itself), or one that can only roll back: nothing to
            // wait for; a spurious run costs one EXISTS.
            signal();
            return;
        }
        if (transactions.getResource(key) instanceof Sequencing followed) {
            if (followed.atCommit == LATER || atCommit instanceof AtJobEnd) {
                followed.atCommit = atCommit;
            }
            return;
        }
        Sequencing sequencing = new Sequencing(atCommit);
        transactions.putResource(key, sequencing);
        transactions.registerInterposedSynchronization(sequencing);
    }

    /** What a transaction that wrote events does at its end. */
    private final class Sequencing implements Synchronization {
        private AtCommit atCommit;
        private boolean sequenced;

        Sequencing(AtCommit atCommit) {
            this.atCommit = atCommit;
        }

        @Override
        public void beforeCompletion() {
            if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
                return; // it rolls back
            }
            try {
                sequenced = atCommit.sequence();
            } catch (SQLException e) {
                // The transaction is aborted now, and cannot commit: it rolls back with this.
                throw new IllegalStateException("Could not give the events their cursors: " + e.getMessage(), e);
            }
        }

        @Override
        public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED && !sequenced) {
                if (atCommit == LATER) {
                    signalWithin(LATER_BY_MILLIS);
                } else {
                    signal();
                }
            }
        }
    }

    /** Wakes the sequencer: many signals before it wakes make one run. */
    synchronized void signal() {
        signalled = true;
        notifyAll();
    }

    /** Wakes the sequencer within {@code millis}, unless a signal comes first. */
    synchronized void signalWithin(long millis) {
        long at = System.nanoTime() + millis * 1_000_000;
        if (dueAt == 0 || at - dueAt < 0) {
            dueAt = at;
            notifyAll();
        }
    }

    /**
     * Waits until signalled, or until due ({@link #signalWithin}), or {@code millis} at most, and clears
     * both: a signal that comes while the sequencer runs makes it run once more.
     */
    synchronized void await(long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000;
        while (!signalled) {
            long end = dueAt != 0 && dueAt - until < 0 ? dueAt : until;
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        signalled = false;
        dueAt = 0;
    }
}
