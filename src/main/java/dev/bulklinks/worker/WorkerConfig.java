package dev.bulklinks.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The workers of this instance ({@code bulklinks.worker.*}). */
@ConfigMapping(prefix = "bulklinks.worker")
public interface WorkerConfig {

    /** Whether this instance runs workers at all; an intake-only instance sets false. Default true. */
    @WithDefault("true")
    boolean enabled();

    /** Worker threads in this instance, each claiming one chunk at a time. Default 2. */
    @WithDefault("2")
    int threads();

    /**
     * Worker threads kept for small jobs, on top of {@link #threads()}: they take only chunks of jobs of
     * at most {@link #smallJobItems()} items, so that a small job is not queued behind the chunks of a
     * big one that keep the other workers busy. Default 1; 0 for none.
     */
    @WithDefault("1")
    int smallJobThreads();

    /** The most items a job may have for the small-job workers to take it. Default 1000 (one chunk). */
    @WithDefault("1000")
    int smallJobItems();

    /** How long an idle worker waits before looking for work again (new work in this instance wakes it at once). Default 1s. */
    @WithDefault("1s")
    Duration pollInterval();

    /** How long a claimed chunk stays leased without a heartbeat; a heartbeat renews it every third of this. Default 30s. */
    @WithDefault("30s")
    Duration lease();

    /** How often expired leases are looked for and their chunks handed back. Default 10s. */
    @WithDefault("10s")
    Duration rescueInterval();

    /** Attempts of a chunk before its items are marked failed with the last error. Default 5. */
    @WithDefault("5")
    int maxAttempts();

    /** Wait before the first retry of a failed chunk; doubled at each attempt, with jitter. Default 1s. */
    @WithDefault("1s")
    Duration retryBackoff();

    /** Longest a chunk transaction may run; atomic jobs run every chunk in one. Default 1h. */
    @WithDefault("1h")
    Duration transactionTimeout();

    /** How long shutdown waits for running chunks to finish before abandoning them to the rescuer. Default 30s. */
    @WithDefault("30s")
    Duration shutdownGrace();

    /**
     * A worker busy with one chunk for longer than this is stuck, and readiness goes down. Default:
     * the transaction timeout plus the lease, which no chunk that still works can exceed.
     */
    Optional<Duration> stuckAfter();
}
