package dev.bulklinks.api;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;

/**
 * What a long streamed response needs of its connection that Vert.x's API does not give. Both reach
 * the Netty channel under the Vert.x connection, on HTTP/1.1 (the only HTTP the service speaks).
 */
public final class Connections {

    private static final long CLOSE_WAIT_MILLIS = 10_000;

    private Connections() {
    }

    /**
     * Closes the connection {@code request} came on, now: a streamed response ends as an error its
     * client sees, without the end of the chunked body, and what still waits to be written is dropped.
     * Vert.x's own {@code reset()} and {@code close()} of a response whose head was sent close only
     * after everything queued is written: for a client that does not read, never (its buffers stay in
     * memory), and meanwhile the end of the body may be written after them, which a client takes for a
     * complete answer.
     */
    public static void cut(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        if (!(connection instanceof ConnectionBase base)) {
            connection.close();
            return;
        }
        Channel channel = base.channel();
        ChannelFuture closed = channel.close();
        if (!channel.eventLoop().inEventLoop()) {
            // Closed before the caller goes on: an answer written after (the framework's error answer,
            // which ends the chunked body) must find the connection gone, not overtake the close in the
            // event loop's queue of writes. Seen: a cut results stream that ended cleanly, 2 runs in 9.
            closed.awaitUninterruptibly(CLOSE_WAIT_MILLIS);
        }
    }

    /**
     * Waits until the connection's event loop has taken every write queued so far. A worker thread's
     * writes wait as tasks of the event loop, which Vert.x's write-queue check does not see: a worker
     * writing faster than the event loop takes its writes queues them without bound (a heap histogram
     * of 30 slow readers of results.ndjson showed a million such tasks waiting beside 270,000 writes in
     * the channel). After this the check is true again, and the next write waits for the client. Call
     * it from a worker thread, every few hundred KB.
     */
    public static void awaitQueuedWrites(HttpServerRequest request) throws IOException {
        if (!(request.connection() instanceof ConnectionBase base)) {
            return;
        }
        Channel channel = base.channel();
        if (channel.eventLoop().inEventLoop()) {
            return;
        }
        try {
            channel.eventLoop().submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the response was written");
        } catch (ExecutionException e) {
            throw new IOException("the connection's event loop refused work", e.getCause());
        }
    }
}
