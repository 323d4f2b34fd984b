package dev.bulklinks.intake;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Limits and shape of bulk submissions ({@code bulklinks.intake.*}). */
@ConfigMapping(prefix = "bulklinks.intake")
public interface IntakeConfig {

    /**
     * Items per chunk: the unit a worker claims and commits in one transaction. Default 1000.
     *
     * <p>Measured with the benchmark (2026-11-24, 2 cores, PostgreSQL 18.6, 200,000 links, seconds
     * from POST to done, JSON / NDJSON; small job = slowest 10-link job submitted meanwhile):
     * 250: 13.6 / 14.5, small 0.14 s; 500: 10.6 / 11.0, 0.13 s; 1000: 10.6 / 9.5, 0.11 s;
     * 2000: 8.8 / 10.1, 0.25 s; 5000: 8.4 / 7.8, 0.19 s. Below 500 the per-chunk round trips
     * dominate; above 1000 the gain is under a fifth, while a chunk's memory, its retry cost, its
     * sync event (which lists the ids written) and the wait of a small job all grow with it.
     */
    @WithDefault("1000")
    int chunkSize();

    /** Most items in one job; a submission with more is refused with 413. Default 10000000. */
    @WithDefault("10000000")
    int maxItems();

    /** Largest request body of a bulk submission; a larger one is refused with 413. Default 2G. */
    @WithDefault("2G")
    MemorySize maxBodySize();

    /** Largest single item of a bulk body, read as it streams; a larger one is refused with 413. Default 1M. */
    @WithDefault("1M")
    MemorySize maxItemSize();

    /**
     * Longest a body may take to arrive (408 past it), and then longest the job may take to be stored.
     * Default 1h.
     */
    @WithDefault("1h")
    Duration timeout();

    /**
     * Longest a body may pause with no byte arriving before it is refused with 408 (nothing stored).
     * Checked once a second. Keep it below {@code quarkus.http.read-timeout} (10m), at which the HTTP
     * layer drops the connection without an answer. Default 60s.
     */
    @WithDefault("60s")
    Duration idleTimeout();

    /**
     * Most bulk bodies this instance receives at once; one more is refused with 503 and Retry-After.
     * A body being received holds a request thread and its spool file; a database connection only while
     * it stages chunks it has spooled already (see {@link #stageEvery()}), never while it waits for the
     * client. Default 64.
     */
    @WithDefault("64")
    int maxConcurrent();

    /**
     * Where bodies are spooled while they arrive, before they are copied into the database: up to the
     * size of each body being received (mostly the decoded body's size). Default: bulk-links-spool in
     * the system's temporary directory.
     */
    Optional<Path> spoolDir();

    /**
     * While a large body arrives, each time this many more chunks are spooled they are copied into the
     * database as staged chunks, in a short transaction on a helper thread, so that the commit at the
     * end copies only the rest; 0 stages nothing (the commit copies every chunk). A staged copy never
     * makes the body's reading wait: when one is still running, the next takes the chunks spooled
     * meanwhile too. Default 100 (100,000 items at the default chunk size).
     */
    @WithDefault("100")
    int stageEvery();

    /** How long an Idempotency-Key is remembered; a retry within it answers the first job. Default 24h. */
    @WithDefault("24h")
    Duration idempotencyRetention();
}
