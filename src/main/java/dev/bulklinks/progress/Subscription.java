package dev.bulklinks.progress;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One stream to one client. Events come first from the stored feed (the catch-up), then live from
 * the instance's {@link FeedListener}; live events that arrive during the catch-up wait in a queue.
 * Every event is sent once, in cursor order: an event at or below the last cursor sent is skipped.
 *
 * <p>Sends are chained: the next one starts when the client has taken the previous one, so a slow
 * client holds at most {@code maxPending} events here. Past that it is closed, and reconnects with
 * its last event id to catch up from the stored feed.
 */
final class Subscription {

    /** Where the events go: an SSE connection, or a test's list. */
    interface Sink {
        CompletionStage<?> send(SyncEvent event);

        CompletionStage<?> heartbeat();

        void close();
    }

    private static final Object HEARTBEAT = new Object();

    private final Sink sink;
    private final Predicate<SyncEvent> wanted;
    private final Predicate<SyncEvent> last;
    private final int maxPending;
    private final Runnable onClose;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean live;
    /** Cursor of the last event sent; written by one sender at a time. */
    private volatile long sent;

    /**
     * @param wanted which events of the feed this client gets
     * @param last the event after which the stream ends (a job's final status), or never
     * @param onClose called once when the stream closes, for whatever reason
     */
    Subscription(Sink sink, Predicate<SyncEvent> wanted, Predicate<SyncEvent> last, int maxPending, Runnable onClose) {
        this.sink = sink;
        this.wanted = wanted;
        this.last = last;
        this.maxPending = maxPending;
        this.onClose = onClose;
    }

    boolean wants(SyncEvent event) {
        return wanted.test(event);
    }

    long sent() {
        return sent;
    }

    boolean isClosed() {
        return closed.get();
    }

    /**
     * Sends an event of the catch-up, before {@link #goLive}; the caller waits on the answer before
     * the next, which keeps the catch-up's memory to one page.
     */
    CompletionStage<?> sendCatchUp(SyncEvent event) {
        sent = event.cursor();
        CompletionStage<?> stage = guarded(() -> sink.send(event));
        if (last.test(event)) {
            stage.whenComplete((ignored, error) -> close());
        }
        return stage;
    }

    /** The catch-up is over: sends what came live meanwhile, then everything as it comes. */
    void goLive() {
        live = true;
        drain();
    }

    /** A new event of the feed, from the listener, in cursor order. */
    void offer(SyncEvent event) {
        if (closed.get() || !wanted.test(event)) {
            return;
        }
        if (pending.incrementAndGet() > maxPending) {
            close();
            return;
        }
        queue.add(event);
        drain();
    }

    /** Asks for a heartbeat comment, sent in turn with the events. */
    void heartbeat() {
        if (!closed.get()) {
            queue.add(HEARTBEAT);
            drain();
        }
    }

    void close() {
        if (closed.compareAndSet(false, true)) {
            queue.clear();
            try {
                sink.close();
            } finally {
                onClose.run();
            }
        }
    }

    /**
     * Sends what is queued, one send at a time. Only one thread drains at a time; a send that does not
     * complete at once resumes the drain from its completion, so the loop never recurses.
     */
    /**
     * Calls the sink; a sink that throws (an SSE sink whose client has gone throws at once) counts as
     * a failed send, which closes this stream and no other.
     */
    private static CompletionStage<?> guarded(java.util.function.Supplier<CompletionStage<?>> send) {
        try {
            return send.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The stage's completion as a future whose state can be asked, whatever the stage's own class. */
    static CompletableFuture<?> completion(CompletionStage<?> stage) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        stage.whenComplete((value, error) -> {
            if (error != null) {
                future.completeExceptionally(error);
            } else {
                future.complete(value);
            }
        });
        return future;
    }

    private void drain() {
        while (live && !closed.get() && sending.compareAndSet(false, true)) {
            Object next;
            while ((next = queue.poll()) != null) {
                CompletionStage<?> stage;
                boolean end = false;
                if (next == HEARTBEAT) {
                    stage = guarded(sink::heartbeat);
                } else {
                    SyncEvent event = (SyncEvent) next;
                    pending.decrementAndGet();
                    if (event.cursor() <= sent) {
                        continue;
                    }
                    sent = event.cursor();
                    stage = guarded(() -> sink.send(event));
                    end = last.test(event);
                }
                if (end) {
                    stage.whenComplete((ignored, error) -> close());
                    return;
                }
                CompletableFuture<?> sentNow = completion(stage);
                if (!sentNow.isDone()) {
                    sentNow.whenComplete((ignored, error) -> {
                        if (error != null) {
                            close();
                        } else {
                            sending.set(false);
                            drain();
                        }
                    });
                    return;
                }
                if (sentNow.isCompletedExceptionally()) {
                    close();
                    return;
                }
            }
            sending.set(false);
            if (queue.isEmpty()) {
                return;
            }
        }
    }
}
