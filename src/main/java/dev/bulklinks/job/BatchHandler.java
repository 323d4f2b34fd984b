package dev.bulklinks.job;

import java.sql.SQLException;
import java.util.List;

/**
 * Runs the items of one chunk of a job of {@link #kind()}: checks them set-wise and, when
 * {@code write} is true, writes the valid ones, all in the caller's transaction.
 */
public interface BatchHandler {

    JobKind kind();

    /**
     * Answers one outcome per item, in input order. With {@code write} false nothing is written and a
     * successful outcome means the item would have succeeded.
     */
    List<ItemOutcome> run(ChunkWork work, boolean write) throws SQLException;

    /**
     * Runs again, and writes, the items at {@code positions} of a chunk that deferred them
     * ({@link ItemOutcome.Deferred}); answers one outcome per position. With {@code last} false an
     * item may stay deferred; with {@code last} true each is settled. Only handlers that defer items
     * are asked.
     */
    default List<ItemOutcome> runDeferred(ChunkWork work, List<Integer> positions, boolean last)
            throws SQLException {
        throw new UnsupportedOperationException(kind().wireName() + " jobs defer no items");
    }
}
