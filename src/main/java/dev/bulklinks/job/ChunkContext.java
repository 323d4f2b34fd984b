package dev.bulklinks.job;

import java.sql.SQLException;

/**
 * What a {@link BatchHandler} may ask of the queue about the chunk it runs, in the run's transaction,
 * so that handlers never call the queue's repositories themselves.
 */
public interface ChunkContext {

    /**
     * True when a chunk of the job before this one has not committed yet. Always false for an atomic
     * job, whose chunks run in order in one transaction.
     */
    boolean earlierChunksPending() throws SQLException;

    /**
     * Grows the chunk from the one item it was stored with to {@code count}, and its job by as many:
     * for a job whose items are known only when it runs (a Unicat selection).
     */
    void grow(int count) throws SQLException;
}
