package dev.bulklinks.worker;

import dev.bulklinks.job.ChunkQueue;
import dev.bulklinks.monitoring.JobMetrics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Hands chunks whose lease ran out back to the queue: their worker died or stalled. Runs in every
 * instance; SKIP LOCKED keeps two rescuers from waiting on each other.
 */
@ApplicationScoped
public class LeaseRescuer {

    private static final Logger LOG = Logger.getLogger(LeaseRescuer.class);

    private final ChunkQueue jobs;
    private final JobMetrics metrics;

    LeaseRescuer(ChunkQueue jobs, JobMetrics metrics) {
        this.jobs = jobs;
        this.metrics = metrics;
    }

    @Scheduled(every = "${bulklinks.worker.rescue-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void rescue() {
        try {
            int rescued = QuarkusTransaction.requiringNew().call(jobs::rescueExpired);
            if (rescued > 0) {
                metrics.rescued(rescued);
                LOG.warnf("Handed back %d chunks whose lease expired", rescued);
            }
        } catch (RuntimeException e) {
            LOG.debugf("Lease rescue skipped: %s", e.getMessage());
        }
    }
}
