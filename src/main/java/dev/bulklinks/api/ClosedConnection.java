package dev.bulklinks.api;

import io.vertx.core.http.HttpClosedException;

/** A request whose client went away while its body was still arriving. */
public final class ClosedConnection {

    static final ApiError ERROR = new ApiError(400, "The connection closed before the whole body arrived;"
            + " nothing was stored. Send the whole body again.", null);

    private ClosedConnection() {
    }

    /** True when {@code e} was caused by the client closing the connection. */
    public static boolean causedBy(Throwable e) {
        return Causes.find(e, HttpClosedException.class) != null;
    }
}
