package dev.bulklinks.job;

import java.util.List;
import java.util.UUID;

/**
 * A job's final pass wrote {@code ids}, items that chunk {@code chunk} had deferred. Fired
 * synchronously inside that transaction.
 */
public record DeferredWritten(UUID job, String project, String dataType, int chunk, List<UUID> ids) {
}
