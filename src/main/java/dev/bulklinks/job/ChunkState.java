package dev.bulklinks.job;

import java.util.Locale;

/**
 * The state of a chunk row ({@code job_chunk.state}), mirrored by its CHECK. Queries take the
 * state as a literal ({@link #sql()}), not a parameter, so the planner can match the partial
 * indexes on {@code state = 'queued'} and {@code state = 'running'} with any plan.
 */
public enum ChunkState {
    /**
     * Copied in while its job's body still arrives ({@code IntakeRepository.stageChunks}); its job row
     * does not exist yet, and no query but the intake's reads it. Kept until {@code lease_until}.
     */
    STAGED,
    /** Waiting to be claimed: new, or handed back after a failure or an expired lease. */
    QUEUED,
    /** Leased to a worker until {@code lease_until}. */
    RUNNING,
    /** Committed with its outcomes. */
    DONE,
    /** Stopped with its job before it ran; it never will. */
    CANCELLED;

    /** The stored value. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The stored value as an SQL string literal, to write into a query. */
    public String sql() {
        return "'" + wireName() + "'";
    }
}
