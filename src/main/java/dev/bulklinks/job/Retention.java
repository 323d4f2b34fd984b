package dev.bulklinks.job;

import dev.bulklinks.database.Batches;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Deletes finished jobs, with their chunks, once they are older than the retention, and the staged
 * chunks of uploads that never ended; a batch per transaction.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);
    private static final int BATCH = 500;

    private final JobRepository jobs;
    private final IntakeRepository intake;
    private final RetentionConfig config;

    Retention(JobRepository jobs, IntakeRepository intake, RetentionConfig config) {
        this.jobs = jobs;
        this.intake = intake;
        this.config = config;
    }

    @Scheduled(every = "${bulklinks.retention.interval:10m}", delay = 1, delayUnit = java.util.concurrent.TimeUnit.MINUTES,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void deleteExpired() {
        try {
            deleteFinishedBefore(config.finishedJobs());
            deleteAbandonedStaged();
        } catch (RuntimeException e) {
            LOG.warnf("Deleting expired jobs failed (%s); it is tried again later", e.getMessage());
        }
    }

    /**
     * Deletes the staged chunks of uploads that never ended (their instance stopped while it received
     * them) once their time has passed; answers how many.
     */
    public int deleteAbandonedStaged() {
        int total = Batches.untilDone(BATCH, intake::deleteAbandonedStaged);
        if (total > 0) {
            LOG.infof("Deleted %d staged chunks of uploads that never ended", total);
        }
        return total;
    }

    /** Deletes every job finished longer than {@code age} ago; answers how many. */
    public int deleteFinishedBefore(Duration age) {
        int total = Batches.untilDone(BATCH, limit -> jobs.deleteFinished(age, limit));
        if (total > 0) {
            LOG.infof("Deleted %d jobs finished more than %s ago, with their items and results", total, age);
        }
        return total;
    }
}
