package dev.bulklinks.progress;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One stream to one client. Events come first from the stored feed (the catch-up), then live from
 * the instance's {@link FeedListener}; live events that arrive during the catch-up wait in a queue.
 * Every event is sent once, in cursor order: an event at or below the last cursor sent is skipped.
 *
 * <p>The stream holds bytes, within a budget ({@link StreamBudget}): the events queued for it and
 * those sent that the client has not taken yet count, by their size. Live sends are chained (the next
 * starts when the client has taken the previous one); past the per-stream budget a live stream is
 * closed, cut off at once with what waits to be written, and its client reconnects with its last
 * event id to catch up from the stored feed. A catch-up never pushes more than the budget at a client:
 * it waits for room ({@link #awaitRoom()}). A client that takes nothing for the send timeout is cut off.
 */
public final class Subscription {

    /**
     * Where the events go: an SSE connection, a socket.io socket, or a test's list. {@code send} answers
     * when the client has taken the item (its bytes count against the stream's budget until then).
     */
    public interface Sink {
        CompletionStage<?> send(SyncEvent event);

        CompletionStage<?> heartbeat();

        /** Ends the stream cleanly, after what was sent. */
        void close();

        /** Cuts the stream off now, dropping what waits to be written: for a client that does not read. */
        default void abort() {
            close();
        }
    }

    private static final Object HEARTBEAT = new Object();

    private final Sink sink;
    private final Predicate<SyncEvent> wanted;
    private final Predicate<SyncEvent> last;
    private final StreamBudget budget;
    private final long sendTimeout;
    private final LongSupplier clock;
    private final Runnable onClose;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean live;
    /** Cursor of the last event sent; written by one sender at a time. */
    private volatile long sent;
    /** Bytes of live events in the queue. Guarded by this, as are the fields below. */
    private long queued;
    /** Bytes sent that the client has not taken yet. */
    private long inFlight;
    /** Bytes taken from the instance's budget for the catch-up's page and not sent yet. */
    private long reserved;
    /** When the client last took something, or was given something while it had nothing to take. */
    private long lastProgress;
    /** Live events were dropped during the catch-up, which must then read on before going live. */
    private boolean missed;

    /**
     * @param wanted which events of the feed this client gets
     * @param last the event after which the stream ends (a job's final status), or never
     * @param sendTimeout how long the client may take nothing while something waits for it
     * @param clock nanoseconds, as {@link System#nanoTime()}
     * @param onClose called once when the stream closes, for whatever reason
     */
    Subscription(Sink sink, Predicate<SyncEvent> wanted, Predicate<SyncEvent> last, StreamBudget budget,
            Duration sendTimeout, LongSupplier clock, Runnable onClose) {
        this.sink = sink;
        this.wanted = wanted;
        this.last = last;
        this.budget = budget;
        this.sendTimeout = sendTimeout.toNanos();
        this.clock = clock;
        this.onClose = onClose;
    }

    boolean wants(SyncEvent event) {
        return wanted.test(event);
    }

    long sent() {
        return sent;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Bytes this stream holds now: queued, and sent but not taken by the client. */
    synchronized long pendingBytes() {
        return queued + inFlight;
    }

    /**
     * Waits until the catch-up may send more: answers how many bytes of events it may read and send now
     * (at least half the stream's budget, or, when the client has taken all it was sent, whatever is
     * left, and at least one event), or -1 once the stream is closed. The bytes are reserved in the
     * instance's budget until {@link #endPage()}, so that streams catching up at once never take more
     * than the total between them. A client that takes nothing for the send timeout is cut off here.
     */
    long awaitRoom() {
        long half = budget.perStream() / 2;
        synchronized (this) {
            while (!closed) {
                long want = budget.perStream() - queued - inFlight;
                long room = budget.takeUpTo(half, want);
                if (room == 0 && inFlight == 0) {
                    room = budget.takeUpTo(1, Math.max(1, want));
                    if (room == 0) {
                        // Nothing left anywhere: one event still goes, so that every stream moves on.
                        return 1;
                    }
                }
                if (room > 0) {
                    reserved += room;
                    return room;
                }
                long waited = clock.getAsLong() - lastProgress;
                if (waited >= sendTimeout) {
                    break;
                }
                try {
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(sendTimeout - waited)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        abort();
        return -1;
    }

    /** The catch-up sent its page: what it reserved and did not use goes back to the instance. */
    synchronized void endPage() {
        budget.give(reserved);
        reserved = 0;
    }

    /**
     * Sends an event of the catch-up, before {@link #goLive}; it counts against the budget (out of what
     * {@link #awaitRoom()} reserved) until the client takes it.
     */
    CompletionStage<?> sendCatchUp(SyncEvent event) {
        long size = event.size();
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            startWaiting();
            long fromReserved = Math.min(reserved, size);
            reserved -= fromReserved;
            inFlight += size;
            budget.take(size - fromReserved);
        }
        sent = event.cursor();
        CompletionStage<?> stage = guarded(() -> sink.send(event));
        boolean end = last.test(event);
        stage.whenComplete((ignored, error) -> {
            if (error != null) {
                abort();
                return;
            }
            taken(size);
            if (end) {
                close();
            }
        });
        return stage;
    }

    /**
     * The catch-up read the feed to its end: sends what came live meanwhile, then everything as it
     * comes. False when live events had to be dropped during the catch-up (more than the budget came
     * while it ran): then the catch-up reads on from {@link #sent()}, where they are stored, and asks
     * again.
     */
    boolean goLive() {
        synchronized (this) {
            if (missed) {
                missed = false;
                return false;
            }
            live = true;
        }
        drain();
        return true;
    }

    /** A new event of the feed, from the listener, in cursor order. */
    void offer(SyncEvent event) {
        if (closed || !wanted.test(event)) {
            return;
        }
        long size = event.size();
        boolean over;
        synchronized (this) {
            if (closed) {
                return;
            }
            long pending = queued + inFlight;
            over = pending > 0 && (pending + size > budget.perStream()
                    || (budget.left() < size && pending + size > budget.share()));
            if (over && !live) {
                // The catch-up will read these from the feed: drop them rather than the stream.
                dropQueued();
                missed = true;
                return;
            }
            if (!over) {
                startWaiting();
                queued += size;
                budget.take(size);
            }
        }
        if (over) {
            abort();
            return;
        }
        queue.add(event);
        drain();
    }

    /**
     * Asks for a heartbeat comment, sent in turn with the events; first cuts off a client that has
     * taken nothing for the send timeout.
     */
    void heartbeat() {
        if (closed) {
            return;
        }
        boolean stalled;
        synchronized (this) {
            stalled = inFlight > 0 && clock.getAsLong() - lastProgress >= sendTimeout;
        }
        if (stalled) {
            abort();
            return;
        }
        queue.add(HEARTBEAT);
        drain();
    }

    /** Ends the stream cleanly. */
    public void close() {
        finish(false);
    }

    /** Cuts the stream off, dropping what waits to be written. */
    public void abort() {
        finish(true);
    }

    private void finish(boolean abort) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            budget.give(queued + inFlight + reserved);
            queued = 0;
            inFlight = 0;
            reserved = 0;
            notifyAll();
        }
        queue.clear();
        try {
            if (abort) {
                sink.abort();
            } else {
                sink.close();
            }
        } finally {
            onClose.run();
        }
    }

    /** Guarded by this: the client is given something to take; if it had nothing, the wait starts now. */
    private void startWaiting() {
        if (inFlight == 0 && queued == 0) {
            lastProgress = clock.getAsLong();
        }
    }

    /** Guarded by this: forgets the queued live events (their bytes), keeping heartbeats out too. */
    private void dropQueued() {
        queue.clear();
        budget.give(queued);
        queued = 0;
    }

    /** The client took {@code size} bytes sent to it. */
    private synchronized void taken(long size) {
        if (closed) {
            return;
        }
        inFlight -= size;
        budget.give(size);
        lastProgress = clock.getAsLong();
        notifyAll();
    }

    /** A queued event leaves the queue: to be sent ({@code toSend}), or skipped as sent already. */
    private synchronized void dequeued(long size, boolean toSend) {
        if (closed) {
            return;
        }
        queued -= size;
        if (toSend) {
            inFlight += size;
        } else {
            budget.give(size);
        }
    }

    /**
     * Calls the sink; a sink that throws (an SSE sink whose client has gone throws at once) counts as
     * a failed send, which closes this stream and no other.
     */
    private static CompletionStage<?> guarded(Supplier<CompletionStage<?>> send) {
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

    /**
     * Sends what is queued, one send at a time. Only one thread drains at a time; a send that does not
     * complete at once resumes the drain from its completion, so the loop never recurses.
     */
    private void drain() {
        while (live && !closed && sending.compareAndSet(false, true)) {
            Object next;
            while ((next = queue.poll()) != null) {
                CompletionStage<?> stage;
                boolean end = false;
                long size = 0;
                if (next == HEARTBEAT) {
                    stage = guarded(sink::heartbeat);
                } else {
                    SyncEvent event = (SyncEvent) next;
                    size = event.size();
                    if (event.cursor() <= sent) {
                        dequeued(size, false);
                        continue;
                    }
                    dequeued(size, true);
                    sent = event.cursor();
                    stage = guarded(() -> sink.send(event));
                    end = last.test(event);
                }
                long bytes = size;
                if (end) {
                    stage.whenComplete((ignored, error) -> {
                        taken(bytes);
                        close();
                    });
                    return;
                }
                CompletableFuture<?> sentNow = completion(stage);
                if (!sentNow.isDone()) {
                    sentNow.whenComplete((ignored, error) -> {
                        if (error != null) {
                            abort();
                        } else {
                            taken(bytes);
                            sending.set(false);
                            drain();
                        }
                    });
                    return;
                }
                if (sentNow.isCompletedExceptionally()) {
                    abort();
                    return;
                }
                taken(bytes);
            }
            sending.set(false);
            if (queue.isEmpty()) {
                return;
            }
        }
    }
}
