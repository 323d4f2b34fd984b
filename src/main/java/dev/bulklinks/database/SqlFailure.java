package dev.bulklinks.database;

import java.sql.SQLException;

/**
 * An {@link SQLException} carried where a signature cannot declare it. The error mapper and the
 * worker's retry look through causes, so it is answered (a 503 for a busy pool, say) as the
 * SQLException itself would be.
 */
public final class SqlFailure extends RuntimeException {

    public SqlFailure(SQLException cause) {
        super(cause.getMessage(), cause);
    }
}
