package dev.bulklinks.job;

/**
 * A job was stored, changed status, or moved its counters. Fired synchronously inside the
 * transaction that made the change, so that what records it commits with it.
 */
public record JobChanged(JobView job, Change change) {

    /** What changed. */
    public enum Change {
        /** The job was submitted and stored (status queued). */
        CREATED,
        /** The job moved to another status. */
        STATUS,
        /** A chunk committed and moved the counters; the status stayed. */
        PROGRESS
    }
}
