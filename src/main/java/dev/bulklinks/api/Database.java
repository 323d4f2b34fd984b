package dev.bulklinks.api;

import java.sql.SQLException;

/** What a database error means for the caller: PostgreSQL's by SQLSTATE, and the connection pool's timeout. */
public final class Database {

    /**
     * What Agroal throws when no connection of the pool came free within
     * {@code quarkus.datasource.jdbc.acquisition-timeout}: a plain {@link SQLException} with this
     * message, no SQLSTATE and no cause (agroal-pool 3.2.1, {@code ConnectionPool.handlerFromSharedCache}).
     */
    static final String POOL_TIMEOUT = "Sorry, acquisition timeout!";

    private Database() {
    }

    /** The error to answer for {@code e}, or null when it is the service's own fault (a 500). */
    public static ApiError describe(SQLException e) {
        if (isPoolExhausted(e)) {
            // An overload, not a fault: every connection is busy with other requests and workers.
            return new ApiError(503, "The service is busy: no database connection came free in time;"
                    + " retry after the seconds in Retry-After.", null);
        }
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
        // Unicat's client retries every 5xx, POSTs included: a failure that a retry mends is a 503, and one
        // that it cannot mend must not be a 5xx at all.
        if (state.equals("40001") || state.equals("40P01") || state.equals("55P03") || state.equals("57014")) {
            return new ApiError(503, "The request collided with concurrent work in the database (" + primary(e)
                    + "); retry after the seconds in Retry-After.", null);
        }
        if (state.startsWith("22")) {
            // Data exception: a value the database cannot take (out of range, malformed for its type).
            return new ApiError(400, "The database cannot take a value of this request (" + primary(e)
                    + "); correct it and send the request again.", null);
        }
        if (state.startsWith("23")) {
            // Integrity: the request names something that went away, or breaks a rule of what is stored.
            return new ApiError(409, "The request conflicts with what is stored (" + primary(e) + ").", null);
        }
        return null;
    }

    /** PostgreSQL's own one-line message, without the context lines (the statement, the position) it may add. */
    private static String primary(SQLException e) {
        if (e instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
                && p.getServerErrorMessage().getMessage() != null) {
            return p.getServerErrorMessage().getMessage();
        }
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
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
     * many connections, an exhausted connection pool, serialization failures and deadlocks.
     */
    public static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return isUnavailable(e) || isPoolExhausted(e) || "40001".equals(state) || "40P01".equals(state);
    }

    /** True when {@code e} is the connection pool's acquisition timeout: every connection was in use. */
    public static boolean isPoolExhausted(SQLException e) {
        return e.getSQLState() == null && POOL_TIMEOUT.equals(e.getMessage());
    }

    private static boolean isUnavailable(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"));
    }
}
