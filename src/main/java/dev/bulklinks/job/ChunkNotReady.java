package dev.bulklinks.job;

/**
 * Thrown by a {@link BatchHandler} whose chunk depends on earlier chunks of its job that have not
 * committed yet: the chunk rolls back and goes back to the queue for a moment, without counting as
 * a failed attempt. Waits only ever point to earlier chunks, so they cannot form a cycle.
 */
public class ChunkNotReady extends RuntimeException {

    public ChunkNotReady(String reason) {
        super(reason, null, false, false);
    }
}
