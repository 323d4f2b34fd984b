package dev.bulklinks.api;

import io.vertx.core.http.HttpClosedException;
import java.nio.channels.ClosedChannelException;

/** A request whose client went away while its body was still arriving. */
public final class ClosedConnection {

    static final ApiError ERROR = new ApiError(400, "The connection closed before the whole body arrived;"
            + " nothing was stored. Send the whole body again.", null);

    private ClosedConnection() {
    }

    /**
     * True when {@code e} was caused by the client closing the connection: while the body arrived
     * (Vert.x's {@link HttpClosedException}), or before its stream was opened (the stream then fails
     * with {@link ClosedChannelException}).
     */
    public static boolean causedBy(Throwable e) {
        return Causes.find(e, HttpClosedException.class) != null || Causes.find(e, ClosedChannelException.class) != null;
    }
}
