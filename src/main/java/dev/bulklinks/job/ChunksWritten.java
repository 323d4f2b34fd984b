package dev.bulklinks.job;

import java.util.UUID;

/**
 * Chunks {@code first..last} of a job committed with their writes. Fired synchronously inside that
 * transaction, after the job's counters moved.
 */
public record ChunksWritten(UUID job, JobKind kind, int first, int last) {

    /** As {@code last}: up to the job's last chunk, whichever it is. */
    public static final int LAST = Integer.MAX_VALUE;
}
