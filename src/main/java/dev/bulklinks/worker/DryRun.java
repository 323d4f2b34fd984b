package dev.bulklinks.worker;

import dev.bulklinks.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The writes of a dry run's items, undone: the handler runs exactly as in a real run, inside a
 * SAVEPOINT of the run's transaction, and the savepoint is rolled back before the run stores its
 * outcomes and moves its counters. So a dry run goes through every check a real one does, those the
 * database makes at write time too (a link id taken meanwhile), and costs about as much, not more.
 *
 * <p>The savepoint is plain SQL on the transaction's connection: the JTA transaction knows nothing of
 * it, and a rolled-back subtransaction leaves nothing behind. A failure inside it is not caught
 * here: the whole run's transaction rolls back, as for a real run.
 */
@ApplicationScoped
class DryRun {

    /** Work whose writes are undone. */
    interface Rehearsed<T> {
        T run() throws SQLException;
    }

    private final Sql sql;

    DryRun(Sql sql) {
        this.sql = sql;
    }

    /** Runs {@code work} and undoes what it wrote; answers what it answered. */
    <T> T undone(Rehearsed<T> work) throws SQLException {
        execute("SAVEPOINT dry_run");
        T result = work.run();
        execute("ROLLBACK TO SAVEPOINT dry_run");
        execute("RELEASE SAVEPOINT dry_run");
        return result;
    }

    private void execute(String statement) throws SQLException {
        sql.with(c -> {
            try (Statement st = c.createStatement()) {
                st.execute(statement);
            }
            return null;
        });
    }
}
