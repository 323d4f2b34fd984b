package dev.bulklinks.intake;

import dev.bulklinks.job.IntakeRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Copies a body's chunk rows into the database while the body still arrives, so that the job's
 * commit at the end copies only the rest: the intake of a large body then takes little longer than
 * its reading. The reading thread tells it of each batch of rows spooled whole ({@link #offer}); a
 * helper thread copies them as staged chunks in a short transaction of their own, at disk speed
 * (the rows are in the spool already: no client's pace holds the connection). The reading never
 * waits for it: when a copy is still running, the next one takes every row spooled meanwhile.
 *
 * <p>Staged chunks are read by nothing until the job's transaction makes them its queued chunks
 * ({@link IntakeRepository#queueStaged}). An upload that is not stored deletes them when it ends
 * ({@link #close}); one whose instance died leaves them until their time ({@code lease_until}) has
 * passed, when {@code Retention} deletes them. Staging is a speed-up only: when a copy fails, staging
 * stops and the commit copies what was not staged.
 */
final class Stager implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Stager.class);

    /** What is staged once staging has stopped: the first {@code chunks} rows, {@code bytes} of the spool. */
    record Staged(int chunks, long bytes) {
        static final Staged NONE = new Staged(0, 0);
    }

    private final IntakeRepository jobs;
    private final UUID token;
    private final Spool spool;
    private final int chunkSize;
    private final Executor helpers;
    private final Duration keep;
    private final Duration timeout;

    // Guarded by this: rows spooled whole so far, rows staged, and whether a copy runs or may start.
    private int offeredChunks;
    private long offeredBytes;
    private int stagedChunks;
    private long stagedBytes;
    private boolean running;
    private boolean stopped;
    private boolean stored;

    /**
     * Stages the chunks of job {@code token} from {@code spool}, on {@code helpers}; each copy in a
     * transaction of at most {@code timeout}, its chunks kept for {@code keep} (longer than the upload
     * and its commit may take).
     */
    Stager(IntakeRepository jobs, UUID token, Spool spool, int chunkSize, Executor helpers, Duration keep,
            Duration timeout) {
        this.jobs = jobs;
        this.token = token;
        this.spool = spool;
        this.chunkSize = chunkSize;
        this.helpers = helpers;
        this.keep = keep;
        this.timeout = timeout;
    }

    /** The first {@code chunks} rows of the spool, its first {@code bytes}, are written whole and flushed. */
    void offer(int chunks, long bytes) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            offeredChunks = chunks;
            offeredBytes = bytes;
            if (running) {
                return;
            }
            running = true;
        }
        try {
            helpers.execute(this::stageOffered);
        } catch (RejectedExecutionException e) {
            stopStaging(); // every helper is busy: the commit copies these rows, as it does without staging
        }
    }

    /** No copy runs, and none will: the commit copies every row not staged yet. */
    private synchronized void stopStaging() {
        running = false;
        stopped = true;
        notifyAll();
    }

    private void stageOffered() {
        while (true) {
            int first;
            int upTo;
            long from;
            long to;
            synchronized (this) {
                if (stopped || offeredChunks == stagedChunks) {
                    running = false;
                    notifyAll();
                    return;
                }
                first = stagedChunks;
                upTo = offeredChunks;
                from = stagedBytes;
                to = offeredBytes;
            }
            try {
                Instant until = Instant.now().plus(keep);
                int copied = QuarkusTransaction.requiringNew().timeout((int) timeout.toSeconds()).call(
                        () -> jobs.stageChunks(token, first, chunkSize, spool.range(from, to), false, until));
                if (copied != upTo - first) {
                    throw new IllegalStateException("staged " + copied + " chunks of " + (upTo - first));
                }
                synchronized (this) {
                    stagedChunks = upTo;
                    stagedBytes = to;
                }
            } catch (RuntimeException e) {
                LOG.infof("job %s: staging its chunks stopped (%s); its commit copies the rest", token, e.getMessage());
                stopStaging();
                return;
            }
        }
    }

    /** Stops staging, waits for a copy that runs, and answers what is staged. */
    synchronized Staged finish() {
        stopped = true;
        boolean interrupted = false;
        while (running) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true; // an upload out of time: the copy ends soon all the same
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return new Staged(stagedChunks, stagedBytes);
    }

    /** The job is stored: its staged chunks are its own now. */
    synchronized void stored() {
        stored = true;
    }

    /** Stops staging; deletes what was staged unless the job was stored. */
    @Override
    public void close() {
        Staged staged = finish();
        synchronized (this) {
            if (stored || staged.chunks() == 0) {
                return;
            }
        }
        try {
            QuarkusTransaction.requiringNew().call(() -> jobs.discardStaged(token));
        } catch (RuntimeException e) {
            LOG.warnf("job %s was not stored, and its %d staged chunks could not be deleted now (%s); they are"
                    + " deleted once their time has passed", token, staged.chunks(), e.getMessage());
        }
    }
}
