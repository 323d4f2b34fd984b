package dev.bulklinks.progress.socketio;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Tells the sender of each {@code sync} packet of one engine.io connection when its client took it:
 * when the write that carried it to the connection completed (Vert.x completes a write once the socket
 * took its bytes, so a client that does not read never completes it). That is what a stream's byte
 * budget and send timeout count on (progress/Subscription), as for SSE.
 *
 * <p>engine.io holds packets in its write buffer until the transport can take them (for polling, until
 * the client's next GET) and then sends them all, announcing it on the connection: {@code flush} just
 * before, {@code drain} just after, both on the thread that writes, under the connection's lock. The
 * transport writes through this service's bridges, which report each write with {@link #written}; the
 * packets announced between {@code flush} and {@code drain} complete with the last of those writes
 * (writes on one connection complete in order).
 *
 * <p>A packet's future is registered just before the packet enters the buffer, so a flush on another
 * thread in between may count it one flush early; never late, which could stall a stream that is read.
 */
final class Delivery {

    private static final ThreadLocal<List<CompletableFuture<Void>>> FLUSHING = new ThreadLocal<>();
    private static final ThreadLocal<Future<?>> LAST_WRITE = new ThreadLocal<>();

    private final Queue<CompletableFuture<Void>> waiting = new ConcurrentLinkedQueue<>();

    /** Called by a bridge for each write it makes: the last one of a flush carries its packets. */
    static void written(Future<?> write) {
        LAST_WRITE.set(write);
    }

    /** A packet is about to be sent: its future completes when the client took it. */
    CompletableFuture<Void> expect() {
        CompletableFuture<Void> taken = new CompletableFuture<>();
        waiting.add(taken);
        return taken;
    }

    /** engine.io's {@code flush}: what waits is written now, on this thread. */
    void flushing() {
        List<CompletableFuture<Void>> batch = new ArrayList<>();
        for (CompletableFuture<Void> next; (next = waiting.poll()) != null; ) {
            batch.add(next);
        }
        FLUSHING.set(batch);
        LAST_WRITE.remove();
    }

    /** engine.io's {@code drain}: the flush is written; its packets are taken when the last write completes. */
    void drained() {
        List<CompletableFuture<Void>> batch = FLUSHING.get();
        Future<?> write = LAST_WRITE.get();
        FLUSHING.remove();
        LAST_WRITE.remove();
        if (batch == null || batch.isEmpty()) {
            return;
        }
        if (write == null) {
            batch.forEach(taken -> taken.complete(null));
            return;
        }
        write.onComplete(result -> batch.forEach(taken -> {
            if (result.succeeded()) {
                taken.complete(null);
            } else {
                taken.completeExceptionally(result.cause());
            }
        }));
    }
}
