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
    List<ItemOutcome> run(JobRepository.ChunkWork work, boolean write) throws SQLException;
}
