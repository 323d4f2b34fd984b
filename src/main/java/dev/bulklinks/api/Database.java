package dev.bulklinks.api;

import java.sql.SQLException;

/** What a PostgreSQL error means for the caller, by SQLSTATE. */
public final class Database {

    private Database() {
    }

    /** The error to answer for {@code e}, or null when it is the service's own fault (a 500). */
    public static ApiError describe(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return null;
        }
        if (state.equals("22P05") || state.equals("22021")) {
            return new ApiError(400, "Text must be valid UTF-8 without the NUL character (\\u0000).", null);
        }
        if (state.equals("23505")) {
            // Two callers creating the same thing at once: the loser of the race learns it exists.
            return new ApiError(409, "Already exists: " + detail(e), null);
        }
        if (state.equals("54000")) {
            return new ApiError(413, "Too large for the database: " + e.getMessage()
                    + ". Send smaller items, or lower bulklinks.intake.chunk-size.", null);
        }
        if (isUnavailable(e)) {
            return new ApiError(503, "The database is not reachable right now; retry shortly.", null);
        }
        return null;
    }

    private static String detail(SQLException e) {
        if (e instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
                && p.getServerErrorMessage().getDetail() != null) {
            return p.getServerErrorMessage().getDetail();
        }
        return "another request created it first.";
    }

    /**
     * True for failures that go away by themselves: lost connections, a server shutting down, too
     * many connections, serialization failures and deadlocks.
     */
    public static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return isUnavailable(e) || "40001".equals(state) || "40P01".equals(state);
    }

    private static boolean isUnavailable(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"));
    }
}
