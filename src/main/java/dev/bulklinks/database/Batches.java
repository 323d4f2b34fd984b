package dev.bulklinks.database;

import io.quarkus.narayana.jta.QuarkusTransaction;
import java.sql.SQLException;

/** Large deletes done a bounded batch per transaction, so no transaction holds many locks for long. */
public final class Batches {

    /** One batch: does at most {@code limit} rows and answers how many it did. */
    public interface Batch {
        int run(int limit) throws SQLException;
    }

    private Batches() {
    }

    /** Runs {@code batch}, each time in a new transaction, until a run does fewer than {@code limit}; answers the total. */
    public static int untilDone(int limit, Batch batch) {
        int total = 0;
        int done;
        do {
            done = QuarkusTransaction.requiringNew().call(() -> batch.run(limit));
            total += done;
        } while (done == limit);
        return total;
    }
}
