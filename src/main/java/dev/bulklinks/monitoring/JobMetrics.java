package dev.bulklinks.monitoring;

import dev.bulklinks.job.JobChanged;
import dev.bulklinks.job.JobKind;
import dev.bulklinks.job.JobStatistics;
import dev.bulklinks.job.JobView;
import dev.bulklinks.progress.FeedListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's own metrics, at {@code /q/metrics} (Prometheus names in brackets):
 * jobs submitted ({@code bulklinks_jobs_submitted_total{kind}}) and finished
 * ({@code bulklinks_jobs_finished_total{kind,status}}), items processed
 * ({@code bulklinks_items_processed_total{kind,outcome}}), chunk processing time and time from submit
 * to start (histograms {@code bulklinks_chunk_duration_seconds}, {@code bulklinks_job_start_delay_seconds}),
 * retries, lease rescues, chunks waiting ({@code bulklinks_queue_chunks}) and open streams
 * ({@code bulklinks_sse_subscribers}). Job events count once their transaction commits.
 */
@ApplicationScoped
public class JobMetrics {

    private final MeterRegistry registry;
    private final JobStatistics jobs;
    private final AtomicLong queued = new AtomicLong();

    JobMetrics(MeterRegistry registry, JobStatistics jobs, FeedListener listener) {
        this.registry = registry;
        this.jobs = jobs;
        Gauge.builder("bulklinks.queue.chunks", queued, AtomicLong::get)
                .description("Chunks waiting to be claimed, in every instance (read every 5 s)").register(registry);
        Gauge.builder("bulklinks.sse.subscribers", listener, FeedListener::subscribers)
                .description("Server-Sent Event streams open in this instance").register(registry);
        Gauge.builder("bulklinks.sse.pending", listener, FeedListener::pendingBytes).baseUnit("bytes")
                .description("Bytes of events the streams of this instance hold for their clients: queued, or sent"
                        + " and not yet taken (bounded by bulklinks.sync.max-pending-bytes-total)")
                .register(registry);
        rescued(0);
        retried(0);
    }

    void jobChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobChanged event) {
        JobView job = event.job();
        if (event.change() == JobChanged.Change.CREATED) {
            counter("bulklinks.jobs.submitted", "Jobs stored", "kind", job.kind().wireName()).increment();
        } else if (event.change() == JobChanged.Change.STATUS && job.status().isFinal()) {
            counter("bulklinks.jobs.finished", "Jobs that reached a final status", "kind", job.kind().wireName(),
                    "status", job.status().wireName()).increment();
        } else if (event.change() == JobChanged.Change.STATUS && job.startedOn() != null && job.createdOn() != null) {
            Timer.builder("bulklinks.job.start.delay").description("From a job's submission to its first chunk")
                    .publishPercentileHistogram().tag("kind", job.kind().wireName()).register(registry)
                    .record(Duration.between(job.createdOn(), job.startedOn()));
        }
    }

    /** A chunk committed: how long it took, and its items that succeeded and failed. */
    public void chunkDone(JobKind kind, long nanos, int succeeded, int failed) {
        Timer.builder("bulklinks.chunk.duration").description("Running one chunk, from claim to commit")
                .publishPercentileHistogram().tag("kind", kind.wireName()).register(registry)
                .record(Duration.ofNanos(nanos));
        items(kind, "succeeded").increment(succeeded);
        items(kind, "failed").increment(failed);
    }

    /** A worker looked for a chunk: {@code taken} when it claimed one, else it found none. */
    public void claimed(boolean taken) {
        counter("bulklinks.worker.claims", "Claims of a chunk by a worker, that took one or found none", "outcome",
                taken ? "taken" : "none").increment();
    }

    /** A chunk failed with a transient error and goes back to the queue for another attempt. */
    public void retried() {
        retried(1);
    }

    private void retried(int chunks) {
        counter("bulklinks.chunk.retries", "Chunks handed back after a transient failure").increment(chunks);
    }

    /** Chunks whose lease had expired were handed back. */
    public void rescued(int chunks) {
        counter("bulklinks.lease.rescues", "Chunks handed back because their lease expired").increment(chunks);
    }

    private Counter items(JobKind kind, String outcome) {
        return counter("bulklinks.items.processed", "Items whose outcome committed", "kind", kind.wireName(),
                "outcome", outcome);
    }

    private Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void readQueue() {
        try {
            queued.set(jobs.queuedChunks());
        } catch (SQLException e) {
            // The database is away; readiness says so, and the gauge keeps its last value.
        }
    }
}
