package dev.bulklinks.job;

import java.sql.SQLException;
import java.util.List;

/**
 * Runs the items of one chunk of a job of {@link #kind()}: checks them set-wise and, when
 * {@code write} is true, writes the valid ones, all in the caller's transaction. The engine knows a
 * kind only through its handler: what its events are called ({@link #dataType()}), what it reserves
 * when a job is stored ({@link #reserve}), and the items it defers to the job's final pass
 * ({@link #runDeferred}).
 */
public interface BatchHandler {

    JobKind kind();

    /** The data type of the sync events that announce what this kind writes ("links", "entities"). */
    String dataType();

    /**
     * Answers one outcome per item, in input order. With {@code write} false nothing is written and a
     * successful outcome means the item would have succeeded. An outcome {@link ItemOutcome.Deferred}
     * sends the item to the job's final pass ({@link #runDeferred}).
     */
    List<ItemOutcome> run(ChunkWork work, ChunkContext context, boolean write) throws SQLException;

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

    /**
     * Reserves, in the intake's transaction, a range of {@code total} numbers the job's items take
     * theirs from in job order ({@link ChunkWork#positionBase()} + index); answers its first, or null
     * when the kind needs none (the default).
     */
    default Long reserve(int total) throws SQLException {
        return null;
    }
}
