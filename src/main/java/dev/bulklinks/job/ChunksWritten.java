package dev.bulklinks.job;

import java.util.List;
import java.util.SortedMap;
import java.util.UUID;

/**
 * A run of a job's chunks committed with their writes (one chunk, or every chunk of an atomic job). Fired
 * synchronously inside that transaction, after the job's counters moved. {@code dataType} is the handler's
 * ({@link BatchHandler#dataType()}); {@code ids} holds, by chunk number in chunk order, the ids each
 * chunk's items wrote, in item order (a chunk that wrote nothing is absent): the sync feed's event of
 * each chunk is built from them, without reading the stored outcomes back.
 */
public record ChunksWritten(UUID job, String project, String dataType, SortedMap<Integer, List<UUID>> ids) {
}
