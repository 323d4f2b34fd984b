package dev.bulklinks.monitoring;

import dev.bulklinks.job.ChunksWritten;
import dev.bulklinks.worker.Workers;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.jboss.logging.Logger;

/**
 * This instance's heartbeat: its name (the one its chunk leases carry), when it started, its workers busy
 * and idle, and the chunks it committed in the last minute, recorded every {@code bulklinks.instances.heartbeat},
 * so that the dashboard shows every instance of the service from any of them.
 */
@ApplicationScoped
public class Instances {

    private static final Logger LOG = Logger.getLogger(Instances.class);
    private static final Duration WINDOW = Duration.ofMinutes(1);
    /** How often Quarkus' scheduler fires triggers at most. */
    private static final Duration SCHEDULER_TICK = Duration.ofSeconds(1);

    private final InstanceRepository repository;
    private final InstancesConfig config;
    private final Workers workers;
    private final Instant started = Instant.now();
    /** When each chunk this instance committed in the last minute did, oldest first (System.nanoTime). */
    private final Deque<Long> committed = new ConcurrentLinkedDeque<>();

    Instances(InstanceRepository repository, InstancesConfig config, Workers workers) {
        this.repository = repository;
        this.config = config;
        this.workers = workers;
    }

    /** Counts committed runs of chunks only (an atomic job's counts once): a run that rolls back was not done. */
    void chunkCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) ChunksWritten written) {
        committed.addLast(System.nanoTime());
    }

    @Scheduled(every = "${bulklinks.instances.heartbeat:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void beat() {
        try {
            repository.beat(workers.instance(), started, workers.threadCount(), workers.busyCount(), lastMinute());
            repository.forget(config.forgetAfter());
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("Recording this instance's heartbeat failed (%s); it is tried again", e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        try {
            repository.stopped(workers.instance());
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("Recording this instance's stop failed (%s); it shows gone after three heartbeats", e.getMessage());
        }
    }

    /**
     * How long since its last heartbeat an instance counts as alive: three heartbeats, as they really come.
     * Quarkus' scheduler fires a trigger at most once a second ({@code SimpleScheduler.CHECK_PERIOD}), so a
     * heartbeat set shorter beats once a second: three of the configured 200 ms showed a live instance gone
     * 40 % of the time (the dashboard browser test failed on it in CI).
     */
    public Duration aliveFor() {
        Duration beat = config.heartbeat().compareTo(SCHEDULER_TICK) < 0 ? SCHEDULER_TICK : config.heartbeat();
        return beat.multipliedBy(3);
    }

    private int lastMinute() {
        long since = System.nanoTime() - WINDOW.toNanos();
        Long oldest;
        while ((oldest = committed.peekFirst()) != null && oldest < since) {
            committed.pollFirst();
        }
        return committed.size();
    }
}
