package dev.bulklinks.worker;

import dev.bulklinks.api.ApiError;
import dev.bulklinks.job.ChunkQueue;
import dev.bulklinks.job.ChunkWork;
import dev.bulklinks.job.ChunksWritten;
import dev.bulklinks.job.Claim;
import dev.bulklinks.job.DeferredWritten;
import dev.bulklinks.job.FinalPassRepository;
import dev.bulklinks.job.Handlers;
import dev.bulklinks.job.ItemOutcome;
import dev.bulklinks.job.JobChanges;
import dev.bulklinks.job.JobKind;
import dev.bulklinks.job.JobRepository;
import dev.bulklinks.job.JobStatus;
import dev.bulklinks.job.JobView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Commits what a run of a claimed chunk did, in the run's transaction, in one order: the outcomes of
 * each chunk it ran, then the job's counters, then the events, then the job's end. Every path of a
 * run (a chunk, an atomic job, a final pass, a rejection, a give-up) goes through it, so the rules
 * live here once: a lost lease rolls the run back ({@link ChunkRunner.LeaseLost}), a deferred item
 * queues the final pass, and a job with nothing remaining is done.
 *
 * <p>{@link #begin} opens a {@link Pending} commit for one run; the run hands it outcomes as they
 * come ({@link Pending#store}, {@link Pending#settle}) and ends it with {@link Pending#complete} or
 * {@link Pending#reject}, nothing else.
 */
@ApplicationScoped
class ChunkCommit {

    private static final Logger LOG = Logger.getLogger(ChunkCommit.class);

    private final ChunkQueue queue;
    private final JobRepository jobs;
    private final FinalPassRepository finalPass;
    private final JobChanges changes;
    private final Event<ChunksWritten> written;
    private final Event<DeferredWritten> deferredWritten;
    private final Handlers handlers;

    ChunkCommit(ChunkQueue queue, JobRepository jobs, FinalPassRepository finalPass, JobChanges changes,
            Event<ChunksWritten> written, Event<DeferredWritten> deferredWritten, Handlers handlers) {
        this.handlers = handlers;
        this.queue = queue;
        this.jobs = jobs;
        this.finalPass = finalPass;
        this.changes = changes;
        this.written = written;
        this.deferredWritten = deferredWritten;
    }

    /** Opens the commit of a run of {@code claim}, whose chunk is {@code work}. */
    Pending begin(Claim claim, ChunkWork work) {
        return new Pending(claim, work);
    }

    /** The commit of one run, gathered as it goes; ended by {@link #complete} or {@link #reject}. */
    final class Pending {
        private final Claim claim;
        private final ChunkWork work;
        private final String dataType;
        private int storedItems;
        private int succeeded;
        private int failed;
        private boolean deferred;
        private boolean claimedStored;
        /** The ids each stored chunk wrote, for its sync event. */
        private final SortedMap<Integer, List<UUID>> chunkIds = new TreeMap<>();

        private Pending(Claim claim, ChunkWork work) {
            this.claim = claim;
            this.work = work;
            this.dataType = handlers.of(work.kind()).dataType();
        }

        /**
         * Stores the outcomes of chunk {@code chunkNo}: the claimed chunk, guarded by the lease, or a
         * chunk of the claimed atomic job, guarded by its state (still queued). A lost guard throws
         * {@link ChunkRunner.LeaseLost}: the run rolls back, and the chunk is applied once.
         */
        void store(int chunkNo, List<ItemOutcome> outcomes) throws SQLException {
            boolean stored = chunkNo == claim.chunkNo()
                    ? queue.complete(claim, outcomes)
                    : queue.completeFollower(claim.job(), chunkNo, outcomes);
            if (!stored) {
                throw new ChunkRunner.LeaseLost();
            }
            claimedStored |= chunkNo == claim.chunkNo();
            storedItems += outcomes.size();
            List<UUID> ids = new ArrayList<>();
            for (ItemOutcome outcome : outcomes) {
                if (outcome.success()) {
                    succeeded++;
                    ids.add(outcome.idOrThrow());
                } else if (outcome instanceof ItemOutcome.Failed) {
                    failed++;
                } else {
                    deferred = true;
                }
            }
            if (!ids.isEmpty()) {
                chunkIds.put(chunkNo, ids);
            }
        }

        /**
         * Stores what the final pass made of the deferred items at {@code positions} of chunk
         * {@code chunkNo} (one outcome each; an item still deferred stays so) and records the ids it
         * wrote; answers how many items it settled.
         */
        int settle(int chunkNo, List<Integer> positions, List<ItemOutcome> outcomes) throws SQLException {
            Map<Integer, ItemOutcome> settled = new LinkedHashMap<>();
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < positions.size(); i++) {
                ItemOutcome outcome = outcomes.get(i);
                if (!(outcome instanceof ItemOutcome.Deferred)) {
                    settled.put(positions.get(i), outcome);
                }
                if (outcome.success()) {
                    ids.add(outcome.idOrThrow());
                }
            }
            finalPass.settle(claim.job(), chunkNo, settled);
            succeeded += ids.size();
            failed += settled.size() - ids.size();
            if (!ids.isEmpty() && !work.dryRun()) {
                deferredWritten.fire(new DeferredWritten(claim.job(), work.project(), dataType, chunkNo, ids));
            }
            return settled.size();
        }

        /**
         * Ends a run that went through: stores the claimed chunk if the run did not (a final pass has
         * no items of its own), queues the final pass if an item was deferred, moves the job's
         * counters, records what the chunks wrote, and ends the job when nothing remains (else
         * reports its progress). The events come after the counters; they take no lock (the feed gives
         * them cursors after the commit).
         */
        JobView complete() throws SQLException {
            if (!claimedStored) {
                store(claim.chunkNo(), List.of());
            }
            if (deferred) {
                finalPass.addFinalPass(claim.job());
            }
            JobView job = jobs.count(claim.job(), succeeded, failed);
            if (!work.dryRun()) { // a dry run wrote nothing to announce
                written.fire(new ChunksWritten(claim.job(), work.project(), dataType, chunkIds));
            }
            if (job.info().remaining() == 0 && job.status() == JobStatus.PROCESSING) {
                if (changes.move(claim.job(), JobStatus.PROCESSING, JobStatus.DONE, null)) {
                    LOG.infof("job %s: done", claim.job());
                }
            } else {
                changes.progressed(job);
            }
            return job;
        }

        /**
         * Ends a run that wrote nothing and rejects its job with {@code error}: the outcomes stored
         * (each a failure) move the counters, and the job moves to rejected.
         */
        void reject(ApiError error) throws SQLException {
            jobs.count(claim.job(), succeeded, failed);
            changes.move(claim.job(), JobStatus.PROCESSING, JobStatus.REJECTED, error);
        }

        /** The kind of the job. */
        JobKind kind() {
            return work.kind();
        }

        /** Items whose outcomes were stored so far (settled ones not counted). */
        int stored() {
            return storedItems;
        }

        /** Items that succeeded so far. */
        int succeeded() {
            return succeeded;
        }

        /** Items that failed so far. */
        int failed() {
            return failed;
        }
    }
}
