package dev.bulklinks.worker;

import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.Causes;
import dev.bulklinks.api.Database;
import dev.bulklinks.job.BatchHandler;
import dev.bulklinks.job.ChunkContext;
import dev.bulklinks.job.ChunkNotReady;
import dev.bulklinks.job.ChunkQueue;
import dev.bulklinks.job.ChunkWork;
import dev.bulklinks.job.Claim;
import dev.bulklinks.job.FinalPassRepository;
import dev.bulklinks.job.Handlers;
import dev.bulklinks.job.ItemOutcome;
import dev.bulklinks.job.ItemOutcome.Failed;
import dev.bulklinks.job.JobChanges;
import dev.bulklinks.job.JobKind;
import dev.bulklinks.job.JobLog;
import dev.bulklinks.job.JobRejection;
import dev.bulklinks.job.JobStatus;
import dev.bulklinks.monitoring.JobMetrics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Runs one claimed chunk. A run has two exits: {@link #complete}, when its transaction committed
 * through {@link ChunkCommit} (its writes, its outcomes, the job's counters and events, together,
 * guarded by the lease, so a chunk is applied once whatever crashes), and {@link #failure}, which
 * takes every other end: a rejection, a chunk not ready yet, a lost lease, an error to retry or to
 * give up on. An atomic job runs every chunk in one transaction, by the worker that holds chunk 0.
 */
@ApplicationScoped
public class ChunkRunner {

    private static final Logger LOG = Logger.getLogger(ChunkRunner.class);
    private static final int EXAMPLES = 20;
    static final Failed NOT_WRITTEN = new Failed(424, "Not written: the job is atomic and other items are invalid.");

    private final ChunkQueue queue;
    private final FinalPassRepository finalPass;
    private final ChunkCommit commits;
    private final JobChanges changes;
    private final WorkerConfig config;
    private final JobMetrics metrics;
    private final Handlers handlers;
    private final DryRun dryRun;

    ChunkRunner(ChunkQueue queue, FinalPassRepository finalPass, ChunkCommit commits, JobChanges changes,
            WorkerConfig config, Handlers handlers, JobMetrics metrics, DryRun dryRun) {
        this.handlers = handlers;
        this.dryRun = dryRun;
        this.queue = queue;
        this.finalPass = finalPass;
        this.commits = commits;
        this.changes = changes;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Leases the next chunk to {@code owner}, of a job of at most {@code maxJobItems} items if given;
     * its job becomes processing if it was queued.
     */
    Optional<Claim> claim(String owner, Integer maxJobItems) {
        Optional<Claim> claimed = QuarkusTransaction.requiringNew().call(() -> {
            Optional<Claim> claim = queue.claim(owner, config.lease(), maxJobItems);
            if (claim.isPresent()) {
                changes.move(claim.get().job(), JobStatus.QUEUED, JobStatus.PROCESSING, null);
            }
            return claim;
        });
        metrics.claimed(claimed.isPresent());
        return claimed;
    }

    /** Runs the chunk to its end: done, rejected, handed back for a retry, or failed for good. */
    void run(Claim claim) {
        try (JobLog log = JobLog.about(claim.job())) {
            long started = System.nanoTime();
            ChunkCommit.Pending done;
            try {
                done = QuarkusTransaction.requiringNew().timeout((int) config.transactionTimeout().toSeconds())
                        .call(() -> execute(claim));
            } catch (RuntimeException e) {
                failure(claim, e instanceof QuarkusTransactionException && e.getCause() != null ? e.getCause() : e);
                return;
            }
            complete(claim, done, System.nanoTime() - started);
        }
    }

    /**
     * Runs the chunk's items through its kind's handler and commits them: a chunk of items, every
     * chunk of an atomic job, or a job's final pass.
     */
    private ChunkCommit.Pending execute(Claim claim) throws SQLException {
        ChunkWork work = queue.work(claim.job(), claim.chunkNo());
        BatchHandler handler = handler(work.kind());
        ChunkCommit.Pending commit = commits.begin(claim, work);
        if (work.atomic()) {
            eachChunkOfAtomicJob(claim, commit, chunk -> {
                List<ItemOutcome> outcomes = write(handler, chunk);
                if (outcomes.stream().filter(ItemOutcome::success).count() < outcomes.size()) {
                    throw new AtomicRejection(chunk.chunkNo(), outcomes);
                }
                return outcomes;
            });
        } else if (claim.finalPass()) {
            settleDeferred(claim, handler, commit);
        } else {
            commit.store(claim.chunkNo(), write(handler, work));
        }
        commit.complete();
        return commit;
    }

    /**
     * Runs a chunk's items through the handler, writing them; in a dry run the writes are undone before
     * the outcomes are stored. Each chunk of a dry run has its own savepoint, so a later chunk does not
     * see what an earlier one would have written (an entity parent, a link id given twice).
     */
    private List<ItemOutcome> write(BatchHandler handler, ChunkWork chunk) throws SQLException {
        if (!chunk.dryRun()) {
            return handler.run(chunk, context(chunk), true);
        }
        // A job whose items are known only as it runs (a record selection) grows to their number: in a dry run
        // that is kept, so it is done after the rollback that undoes the items' writes.
        int[] grown = {-1};
        List<ItemOutcome> outcomes = dryRun.undone(() -> handler.run(chunk, context(chunk, grown), true));
        if (grown[0] >= 0) {
            queue.resize(chunk.job(), chunk.chunkNo(), grown[0]);
        }
        return outcomes;
    }

    /** The exit of a run that committed. */
    private void complete(Claim claim, ChunkCommit.Pending done, long nanos) {
        if (!claim.finalPass()) {
            LOG.debugf("job %s: chunk %d done, %d of %d items succeeded, %d ms", claim.job(), claim.chunkNo(),
                    done.succeeded(), done.stored(), nanos / 1_000_000);
        }
        metrics.chunkDone(done.kind(), nanos, done.succeeded(), done.failed());
    }

    /**
     * The exit of a run that did not commit: its transaction rolled back, and {@code error} says what
     * comes next. Each end is recorded in a transaction of its own.
     */
    private void failure(Claim claim, Throwable error) {
        if (error instanceof AtomicRejection rejection) {
            inTransaction(() -> rejectAtomic(claim, rejection));
        } else if (error instanceof JobRejection rejection) {
            inTransaction(() -> rejectJob(claim, rejection.error()));
        } else if (error instanceof ChunkNotReady notReady) {
            LOG.debugf("job %s: chunk %d waits: %s", claim.job(), claim.chunkNo(), notReady.getMessage());
            inTransaction(() -> queue.postpone(claim, config.pollInterval().dividedBy(4)));
        } else if (error instanceof LeaseLost) {
            LOG.infof("job %s: chunk %d lost its lease while it ran (the job was cancelled, or the chunk went to"
                    + " another worker); its work is rolled back", claim.job(), claim.chunkNo());
        } else {
            retryOrGiveUp(claim, error);
        }
    }

    /**
     * Settles the items the job's chunks deferred, now that every other chunk has run: rounds over
     * the chunks holding some, in chunk order, as long as a round settles any (an item may wait for
     * one deferred by a later chunk); then a last round settles the rest for good (a parent that never
     * came fails its children). One chunk's items are in memory at a time.
     */
    private void settleDeferred(Claim claim, BatchHandler handler, ChunkCommit.Pending commit) throws SQLException {
        boolean last = false;
        for (List<Integer> chunks = finalPass.chunksWithDeferred(claim.job()); !chunks.isEmpty();
                chunks = finalPass.chunksWithDeferred(claim.job())) {
            int settledInRound = 0;
            for (int n : chunks) {
                List<Integer> positions = finalPass.deferredItems(claim.job(), n);
                ChunkWork chunk = queue.work(claim.job(), n);
                boolean lastRound = last;
                List<ItemOutcome> outcomes = chunk.dryRun()
                        ? dryRun.undone(() -> handler.runDeferred(chunk, positions, lastRound))
                        : handler.runDeferred(chunk, positions, last);
                settledInRound += commit.settle(n, positions, outcomes);
            }
            last = settledInRound == 0;
        }
        LOG.debugf("job %s: final pass settled %d deferred items, %d failed", claim.job(),
                commit.succeeded() + commit.failed(), commit.failed());
    }

    /**
     * Takes every chunk of the atomic job held by {@code claim}, in order, and stores the outcomes
     * {@code outcomesOf} answers for it. Chunk 0 is stored last: its row lock would otherwise last the
     * whole transaction and hold up the heartbeat renewing its lease.
     */
    private void eachChunkOfAtomicJob(Claim claim, ChunkCommit.Pending commit, ChunkOutcomes outcomesOf)
            throws SQLException {
        int chunks = queue.chunkCount(claim.job());
        List<ItemOutcome> lead = null;
        for (int n = 0; n < chunks; n++) {
            List<ItemOutcome> outcomes = outcomesOf.of(queue.work(claim.job(), n));
            if (n == 0) {
                lead = outcomes;
            } else {
                commit.store(n, outcomes);
            }
        }
        commit.store(claim.chunkNo(), lead);
    }

    /** The outcomes to store for one chunk. */
    private interface ChunkOutcomes {
        List<ItemOutcome> of(ChunkWork chunk) throws SQLException;
    }

    /**
     * Records why an atomic job wrote nothing: exact outcomes up to the chunk that failed; after it,
     * each chunk is checked against the database as committed, without the job's own earlier items.
     */
    private void rejectAtomic(Claim claim, AtomicRejection rejection) throws SQLException {
        ChunkCommit.Pending commit = commits.begin(claim, queue.work(claim.job(), claim.chunkNo()));
        RejectionReport report = new RejectionReport();
        eachChunkOfAtomicJob(claim, commit, chunk -> report.record(chunk.firstIndex(),
                chunk.chunkNo() < rejection.chunkNo() ? Collections.nCopies(chunk.itemCount(), NOT_WRITTEN)
                        : chunk.chunkNo() == rejection.chunkNo() ? rejection.outcomes()
                        : handler(chunk.kind()).run(chunk, context(chunk), false)));
        int total = commit.failed();
        commit.reject(report.error(total));
        LOG.infof("job %s: rejected, %d of %d items invalid", claim.job(), report.invalid, total);
    }

    /** Rejects the whole job: the chunk's items fail with {@code error}, and nothing was written. */
    private void rejectJob(Claim claim, ApiError error) throws SQLException {
        ChunkWork work = queue.work(claim.job(), claim.chunkNo());
        ChunkCommit.Pending commit = commits.begin(claim, work);
        commit.store(claim.chunkNo(), Collections.nCopies(work.itemCount(), new Failed(error.code(), error.message())));
        commit.reject(error);
        LOG.infof("job %s: rejected: %s", claim.job(), error.message());
    }

    /** Counts the invalid items of a rejected atomic job and keeps the first few as examples. */
    private static final class RejectionReport {
        private int invalid;
        private final List<Map<String, Object>> examples = new ArrayList<>();

        /** The outcomes to store: the item's own failure, or {@link #NOT_WRITTEN} for a valid item. */
        List<ItemOutcome> record(int firstIndex, List<ItemOutcome> checked) {
            List<ItemOutcome> outcomes = new ArrayList<>(checked.size());
            for (int i = 0; i < checked.size(); i++) {
                if (checked.get(i) instanceof Failed failed && failed != NOT_WRITTEN) {
                    invalid++;
                    if (examples.size() < EXAMPLES) {
                        examples.add(Map.of("index", firstIndex + i, "code", failed.code(), "message", failed.message()));
                    }
                    outcomes.add(failed);
                } else {
                    outcomes.add(NOT_WRITTEN);
                }
            }
            return outcomes;
        }

        ApiError error(int total) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("invalid", invalid);
            info.put("items", examples);
            return new ApiError(ApiError.VALIDATION, invalid + " of " + total + " items are invalid; the job is atomic,"
                    + " so nothing was written. The first are listed in info.items; read them all with"
                    + " results?outcome=failed.", info);
        }
    }

    /**
     * A transient failure (lost connection, serialization failure, deadlock) is retried after a
     * backoff until the attempts run out; any other failure would fail again, so it is not retried.
     * Either way the chunk's items are then marked failed with the error, and the job goes on.
     */
    private void retryOrGiveUp(Claim claim, Throwable error) {
        String message = error.getClass().getSimpleName() + ": " + error.getMessage();
        boolean transientFailure = isTransient(error);
        if (transientFailure && claim.attempt() < config.maxAttempts()) {
            var backoff = Backoff.after(claim.attempt(), config.retryBackoff(), ThreadLocalRandom.current());
            LOG.warnf("job %s: chunk %d failed on attempt %d of %d (%s); retrying in %d ms", claim.job(),
                    claim.chunkNo(), claim.attempt(), config.maxAttempts(), message, backoff.toMillis());
            inTransaction(() -> queue.release(claim, message, backoff));
            metrics.retried();
            return;
        }
        LOG.errorf(error, "job %s: chunk %d failed %s; its items are marked failed", claim.job(), claim.chunkNo(),
                transientFailure ? claim.attempt() + " times" : "with an error that a retry would not mend");
        inTransaction(() -> giveUp(claim, transientFailure ? "failed " + claim.attempt() + " times; last error: "
                + message : message));
    }

    /** True when {@code error} was caused by a database failure that goes away by itself. */
    static boolean isTransient(Throwable error) {
        SQLException sql = Causes.find(error, SQLException.class);
        // No SQLSTATE: the pool could not hand out a connection in time.
        return sql != null && (sql.getSQLState() == null || Database.isTransient(sql));
    }

    /**
     * Marks the items of a chunk that keeps failing as failed, so that the job goes on; an atomic job,
     * which cannot go on in part, is rejected.
     */
    private void giveUp(Claim claim, String message) throws SQLException {
        ChunkWork work = queue.work(claim.job(), claim.chunkNo());
        ChunkCommit.Pending commit = commits.begin(claim, work);
        Failed failed = new Failed(500, "Not processed: " + message);
        if (claim.finalPass()) {
            for (int n : finalPass.chunksWithDeferred(claim.job())) {
                List<Integer> positions = finalPass.deferredItems(claim.job(), n);
                commit.settle(n, positions, Collections.nCopies(positions.size(), failed));
            }
            commit.complete();
        } else if (!work.atomic()) {
            commit.store(claim.chunkNo(), Collections.nCopies(work.itemCount(), failed));
            commit.complete();
        } else {
            eachChunkOfAtomicJob(claim, commit, chunk -> Collections.nCopies(chunk.itemCount(), failed));
            commit.reject(new ApiError(500, "The job could not be processed; nothing was written. Last error: "
                    + message, null));
        }
    }

    private BatchHandler handler(JobKind kind) {
        return handlers.of(kind);
    }

    /** What the handler may ask of the queue about {@code work}, in the run's transaction. */
    private ChunkContext context(ChunkWork work) {
        return context(work, null);
    }

    /** The same; with {@code grown}, a growth is only noted there, for the caller to apply. */
    private ChunkContext context(ChunkWork work, int[] grown) {
        return new ChunkContext() {
            @Override
            public boolean earlierChunksPending() throws SQLException {
                return !work.atomic() && queue.unfinishedBefore(work.job(), work.chunkNo()) > 0;
            }

            @Override
            public void grow(int count) throws SQLException {
                if (grown != null) {
                    grown[0] = count;
                } else {
                    queue.resize(work.job(), work.chunkNo(), count);
                }
            }
        };
    }

    /** Runs {@code work} in its own transaction; a failure is logged and left to the lease rescuer. */
    private static void inTransaction(SqlWork work) {
        try {
            QuarkusTransaction.requiringNew().call(() -> {
                work.run();
                return null;
            });
        } catch (LeaseLost lost) {
            LOG.debugf("A chunk's lease was lost before its end was recorded; its new owner records it");
        } catch (RuntimeException e) {
            LOG.warnf("Could not record a chunk's end (%s); its lease will expire and it will run again",
                    e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        }
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    /** The lease was lost: roll back, the chunk belongs to another worker now. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super(null, null, false, false);
        }
    }

    /** An atomic job met an invalid item: roll back everything, then record why. */
    static final class AtomicRejection extends RuntimeException {
        private final int chunkNo;
        private final transient List<ItemOutcome> outcomes;

        AtomicRejection(int chunkNo, List<ItemOutcome> outcomes) {
            super(null, null, false, false);
            this.chunkNo = chunkNo;
            this.outcomes = outcomes;
        }

        int chunkNo() {
            return chunkNo;
        }

        List<ItemOutcome> outcomes() {
            return outcomes;
        }
    }
}
