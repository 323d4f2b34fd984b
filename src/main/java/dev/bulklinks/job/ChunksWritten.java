package dev.bulklinks.job;

import java.util.UUID;

/**
 * Chunks {@code first..last} of a job committed with their writes. Fired synchronously inside that
 * transaction, after the job's counters moved. {@code dataType} is the handler's
 * ({@link BatchHandler#dataType()}).
 */
public record ChunksWritten(UUID job, String dataType, int first, int last) {

    /** As {@code last}: up to the job's last chunk, whichever it is. */
    public static final int LAST = Integer.MAX_VALUE;
}
