package dev.bulklinks.worker;

import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.Causes;
import dev.bulklinks.api.Database;
import dev.bulklinks.job.BatchHandler;
import dev.bulklinks.job.ItemOutcome;
import dev.bulklinks.job.ItemOutcome.Failed;
import dev.bulklinks.job.JobKind;
import dev.bulklinks.job.JobLog;
import dev.bulklinks.job.ChunkNotReady;
import dev.bulklinks.job.JobRejection;
import dev.bulklinks.job.JobRepository;
import dev.bulklinks.job.ChunkQueue;
import dev.bulklinks.job.FinalPassRepository;
import dev.bulklinks.job.ChunkWork;
import dev.bulklinks.job.Claim;
import dev.bulklinks.job.JobStatus;
import dev.bulklinks.job.JobView;
import dev.bulklinks.job.JobChanged;
import dev.bulklinks.job.ChunksWritten;
import dev.bulklinks.job.DeferredWritten;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.Collections;
import org.jboss.logging.Logger;
import dev.bulklinks.monitoring.JobMetrics;

/**
 * Runs one claimed chunk. Its writes, its outcomes and the job's counters commit in one
 * transaction, guarded by the lease: a worker that lost its lease rolls back, so a chunk is applied
 * once whatever crashes. An atomic job runs every chunk in one transaction, by the worker that holds
 * chunk 0.
 */
@ApplicationScoped
public class ChunkRunner {

    private static final Logger LOG = Logger.getLogger(ChunkRunner.class);
    private static final int EXAMPLES = 20;
    static final Failed NOT_WRITTEN = new Failed(424, "Not written: the job is atomic and other items are invalid.");

    private final JobRepository jobs;
    private final ChunkQueue queue;
    private final FinalPassRepository finalPass;
    private final WorkerConfig config;
    private final Event<JobChanged> changed;
    private final Event<ChunksWritten> written;
    private final Event<DeferredWritten> deferredWritten;
    private final JobMetrics metrics;
    private final Map<JobKind, BatchHandler> handlers = new EnumMap<>(JobKind.class);

    ChunkRunner(JobRepository jobs, ChunkQueue queue, FinalPassRepository finalPass, WorkerConfig config, Instance<BatchHandler> handlers, Event<JobChanged> changed,
            Event<ChunksWritten> written, Event<DeferredWritten> deferredWritten, JobMetrics metrics) {
        this.metrics = metrics;
        this.jobs = jobs;
        this.queue = queue;
        this.finalPass = finalPass;
        this.config = config;
        this.changed = changed;
        this.written = written;
        this.deferredWritten = deferredWritten;
        handlers.forEach(h -> this.handlers.put(h.kind(), h));
    }

    /** Leases the next chunk to {@code owner}; its job becomes processing if it was queued. */
    Optional<Claim> claim(String owner) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<Claim> claim = queue.claim(owner, config.lease());
            if (claim.isPresent()) {
                jobs.transition(claim.get().job(), JobStatus.QUEUED, JobStatus.PROCESSING, null);
            }
            return claim;
        });
    }

    /** Runs the chunk to its end: done, rejected, handed back for a retry, or failed for good. */
    void run(Claim claim) {
        try (JobLog log = JobLog.about(claim.job())) {
            runLogged(claim);
        }
    }

    private void runLogged(Claim claim) {
        long started = System.nanoTime();
        try {
            Applied applied = QuarkusTransaction.requiringNew().timeout((int) config.transactionTimeout().toSeconds())
                    .call(() -> apply(claim));
            metrics.chunkDone(applied.kind(), System.nanoTime() - started, applied.succeeded(), applied.failed());
        } catch (AtomicRejection rejection) {
            inTransaction(() -> reject(claim, rejection));
        } catch (ChunkNotReady notReady) {
            LOG.debugf("job %s: chunk %d waits: %s", claim.job(), claim.chunkNo(), notReady.getMessage());
            inTransaction(() -> queue.postpone(claim, config.pollInterval().dividedBy(4)));
        } catch (JobRejection rejection) {
            inTransaction(() -> rejectJob(claim, rejection.error()));
        } catch (LeaseLost lost) {
            LOG.infof("job %s: chunk %d lost its lease while it ran (the job was cancelled, or the chunk went to"
                    + " another worker); its work is rolled back", claim.job(), claim.chunkNo());
        } catch (RuntimeException e) {
            retryOrGiveUp(claim, e instanceof QuarkusTransactionException && e.getCause() != null ? e.getCause() : e);
        }
    }

    /** What a committed chunk did, for the metrics. */
    private record Applied(JobKind kind, int succeeded, int failed) {
    }

    private Applied apply(Claim claim) throws SQLException {
        ChunkWork work = queue.work(claim.job(), claim.chunkNo());
        BatchHandler handler = handler(work.kind());
        if (work.atomic()) {
            int total = eachChunkOfAtomicJob(claim, chunk -> {
                List<ItemOutcome> outcomes = handler.run(chunk, true);
                if (succeeded(outcomes) < outcomes.size()) {
                    throw new AtomicRejection(chunk.chunkNo(), outcomes);
                }
                return outcomes;
            });
            report(claim, work.kind(), 0, ChunksWritten.LAST, jobs.count(claim.job(), total, 0));
            return new Applied(work.kind(), total, 0);
        }
        if (claim.chunkNo() == Claim.FINAL_PASS) {
            return runFinalPass(claim, work, handler);
        }
        long started = System.nanoTime();
        List<ItemOutcome> outcomes = handler.run(work, true);
        if (!queue.complete(claim, outcomes)) {
            throw new LeaseLost();
        }
        int succeeded = succeeded(outcomes);
        int failed = failed(outcomes);
        if (succeeded + failed < outcomes.size()) {
            finalPass.addFinalPass(claim.job());
        }
        JobView job = jobs.count(claim.job(), succeeded, failed);
        LOG.debugf("job %s: chunk %d done, %d of %d items succeeded, %d ms", claim.job(), claim.chunkNo(), succeeded,
                outcomes.size(), (System.nanoTime() - started) / 1_000_000);
        report(claim, work.kind(), claim.chunkNo(), claim.chunkNo(), job);
        return new Applied(work.kind(), succeeded, failed);
    }

    /**
     * Settles the items the job's chunks deferred, now that every other chunk has run: rounds over
     * the chunks holding some, in chunk order, as long as a round settles any (an item may wait for
     * one deferred by a later chunk); then a last round settles the rest for good (a parent that never
     * came fails its children). One chunk's items are in memory at a time.
     */
    private Applied runFinalPass(Claim claim, ChunkWork work, BatchHandler handler) throws SQLException {
        int succeeded = 0;
        int failed = 0;
        boolean last = false;
        for (List<Integer> chunks = finalPass.chunksWithDeferred(claim.job()); !chunks.isEmpty();
                chunks = finalPass.chunksWithDeferred(claim.job())) {
            int settledInRound = 0;
            for (int n : chunks) {
                ChunkWork chunk = queue.work(claim.job(), n);
                List<Integer> positions = finalPass.deferredItems(claim.job(), n);
                List<ItemOutcome> outcomes = handler.runDeferred(chunk, positions, last);
                Map<Integer, ItemOutcome> settled = new LinkedHashMap<>();
                List<UUID> written = new ArrayList<>();
                for (int i = 0; i < positions.size(); i++) {
                    ItemOutcome outcome = outcomes.get(i);
                    if (!(outcome instanceof ItemOutcome.Deferred)) {
                        settled.put(positions.get(i), outcome);
                    }
                    if (outcome.success()) {
                        written.add(outcome.idOrThrow());
                    }
                }
                finalPass.settle(claim.job(), n, settled);
                succeeded += written.size();
                failed += settled.size() - written.size();
                settledInRound += settled.size();
                if (!written.isEmpty()) {
                    deferredWritten.fire(new DeferredWritten(claim.job(), work.project(), work.kind(), n, written));
                }
            }
            last = settledInRound == 0;
        }
        if (!queue.complete(claim, List.of())) {
            throw new LeaseLost();
        }
        LOG.debugf("job %s: final pass settled %d deferred items, %d failed", claim.job(), succeeded + failed, failed);
        report(claim, work.kind(), claim.chunkNo(), claim.chunkNo(), jobs.count(claim.job(), succeeded, failed));
        return new Applied(work.kind(), succeeded, failed);
    }

    /**
     * Takes every chunk of the atomic job held by {@code claim}, in order, and stores the outcomes
     * {@code outcomesOf} answers for it; answers the number of items. Chunk 0 is stored last: its row
     * lock would otherwise last the whole transaction and hold up the heartbeat renewing its lease.
     */
    private int eachChunkOfAtomicJob(Claim claim, ChunkOutcomes outcomesOf) throws SQLException {
        int chunks = queue.chunkCount(claim.job());
        int total = 0;
        List<ItemOutcome> lead = null;
        for (int n = 0; n < chunks; n++) {
            List<ItemOutcome> outcomes = outcomesOf.of(queue.work(claim.job(), n));
            if (n == 0) {
                lead = outcomes;
            } else if (!queue.completeFollower(claim.job(), n, outcomes)) {
                throw new LeaseLost();
            }
            total += outcomes.size();
        }
        if (!queue.complete(claim, lead)) {
            throw new LeaseLost();
        }
        return total;
    }

    /** The outcomes to store for one chunk. */
    private interface ChunkOutcomes {
        List<ItemOutcome> of(ChunkWork chunk) throws SQLException;
    }

    /**
     * Records why an atomic job wrote nothing: exact outcomes up to the chunk that failed; after it,
     * each chunk is checked against the database as committed, without the job's own earlier items.
     */
    private void reject(Claim claim, AtomicRejection rejection) throws SQLException {
        RejectionReport report = new RejectionReport();
        int total = eachChunkOfAtomicJob(claim, chunk -> report.record(chunk.firstIndex(),
                chunk.chunkNo() < rejection.chunkNo() ? Collections.nCopies(chunk.itemCount(), NOT_WRITTEN)
                        : chunk.chunkNo() == rejection.chunkNo() ? rejection.outcomes()
                        : handler(chunk.kind()).run(chunk, false)));
        jobs.count(claim.job(), 0, total);
        jobs.transition(claim.job(), JobStatus.PROCESSING, JobStatus.REJECTED, report.error(total));
        LOG.infof("job %s: rejected, %d of %d items invalid", claim.job(), report.invalid, total);
    }

    /** Rejects the whole job: the chunk's items fail with {@code error}, and nothing was written. */
    private void rejectJob(Claim claim, ApiError error) throws SQLException {
        ChunkWork work = queue.work(claim.job(), claim.chunkNo());
        if (queue.complete(claim, Collections.nCopies(work.itemCount(), new Failed(error.code(), error.message())))) {
            jobs.count(claim.job(), 0, work.itemCount());
            jobs.transition(claim.job(), JobStatus.PROCESSING, JobStatus.REJECTED, error);
            LOG.infof("job %s: rejected: %s", claim.job(), error.message());
        }
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

    /** Marks the items of a chunk that keeps failing as failed, so that the job goes on. */
    private void giveUp(Claim claim, String message) throws SQLException {
        ChunkWork work = queue.work(claim.job(), claim.chunkNo());
        Failed failed = new Failed(500, "Not processed: " + message);
        if (claim.chunkNo() == Claim.FINAL_PASS) {
            int count = 0;
            for (int n : finalPass.chunksWithDeferred(claim.job())) {
                Map<Integer, ItemOutcome> settled = new LinkedHashMap<>();
                finalPass.deferredItems(claim.job(), n).forEach(i -> settled.put(i, failed));
                finalPass.settle(claim.job(), n, settled);
                count += settled.size();
            }
            if (queue.complete(claim, List.of())) {
                report(claim, work.kind(), claim.chunkNo(), claim.chunkNo(), jobs.count(claim.job(), 0, count));
            }
            return;
        }
        if (!work.atomic()) {
            if (queue.complete(claim, Collections.nCopies(work.itemCount(), failed))) {
                report(claim, work.kind(), claim.chunkNo(), claim.chunkNo(), jobs.count(claim.job(), 0, work.itemCount()));
            }
            return;
        }
        int total = eachChunkOfAtomicJob(claim, chunk -> Collections.nCopies(chunk.itemCount(), failed));
        jobs.count(claim.job(), 0, total);
        jobs.transition(claim.job(), JobStatus.PROCESSING, JobStatus.REJECTED,
                new ApiError(500, "The job could not be processed; nothing was written. Last error: " + message, null));
    }

    /**
     * Reports committed chunks: what they wrote, then the job's progress, or its end when nothing
     * remains. Runs after the counters moved, so the feed's lock is taken after the job's row.
     */
    private void report(Claim claim, JobKind kind, int firstChunk, int lastChunk, JobView job) throws SQLException {
        written.fire(new ChunksWritten(claim.job(), kind, firstChunk, lastChunk));
        if (job.info().remaining() == 0 && job.status() == JobStatus.PROCESSING) {
            if (jobs.transition(claim.job(), JobStatus.PROCESSING, JobStatus.DONE, null)) {
                LOG.infof("job %s: done", claim.job());
            }
        } else {
            changed.fire(new JobChanged(job, JobChanged.Change.PROGRESS));
        }
    }

    private BatchHandler handler(JobKind kind) {
        BatchHandler handler = handlers.get(kind);
        if (handler == null) {
            throw new IllegalStateException("no handler for jobs of kind " + kind.wireName());
        }
        return handler;
    }

    private static int succeeded(List<ItemOutcome> outcomes) {
        return (int) outcomes.stream().filter(ItemOutcome::success).count();
    }

    private static int failed(List<ItemOutcome> outcomes) {
        return (int) outcomes.stream().filter(Failed.class::isInstance).count();
    }

    /** Runs {@code work} in its own transaction; a failure is logged and left to the lease rescuer. */
    private static void inTransaction(SqlWork work) {
        try {
            QuarkusTransaction.requiringNew().call(() -> {
                work.run();
                return null;
            });
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
