package dev.bulklinks.job;

import java.util.List;
import java.util.SortedMap;
import java.util.UUID;

/**
 * Chunks {@code first..last} of a job committed with their writes. Fired synchronously inside that
 * transaction, after the job's counters moved. {@code dataType} is the handler's
 * ({@link BatchHandler#dataType()}); {@code ids} holds, by chunk number in chunk order, the ids each
 * chunk's items wrote, in item order (a chunk that wrote nothing is absent): the sync feed's event of
 * each chunk is built from them, without reading the stored outcomes back.
 */
public record ChunksWritten(UUID job, String project, String dataType, int first, int last,
        SortedMap<Integer, List<UUID>> ids) {

    /** As {@code last}: up to the job's last chunk, whichever it is. */
    public static final int LAST = Integer.MAX_VALUE;
}
