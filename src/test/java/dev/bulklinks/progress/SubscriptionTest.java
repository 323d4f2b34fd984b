package dev.bulklinks.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The ordering and flow rules of one stream, on plain objects: no HTTP, no database. */
class SubscriptionTest {

    /** A sink that records what it is sent; sends complete at once unless held. */
    static class RecordingSink implements Subscription.Sink {
        final List<Long> sent = new ArrayList<>();
        final List<CompletableFuture<Void>> held = new ArrayList<>();
        int heartbeats;
        boolean closed;
        boolean hold;

        @Override
        public synchronized CompletionStage<?> send(SyncEvent event) {
            sent.add(event.cursor());
            return stage();
        }

        @Override
        public synchronized CompletionStage<?> heartbeat() {
            heartbeats++;
            return stage();
        }

        private CompletionStage<?> stage() {
            if (!hold) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> future = new CompletableFuture<>();
            held.add(future);
            return future;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static SyncEvent event(long cursor) {
        return new SyncEvent(cursor, "p", "UPDATE", "jobs", "k", JsonNodeFactory.instance.objectNode().put("status", "processing"));
    }

    static SyncEvent finalEvent(long cursor) {
        return new SyncEvent(cursor, "p", "UPDATE", "jobs", "k", JsonNodeFactory.instance.objectNode().put("status", "done"));
    }

    final RecordingSink sink = new RecordingSink();
    final AtomicInteger onClose = new AtomicInteger();

    Subscription subscription(int maxPending) {
        return new Subscription(sink, e -> true, SyncEvent::isFinalJobStatus, maxPending, onClose::incrementAndGet);
    }

    @Test
    void liveEventsThatCameDuringTheCatchUpAreSentOnceAfterIt() {
        Subscription s = subscription(100);
        s.offer(event(3));
        s.offer(event(4));
        s.sendCatchUp(event(2));
        s.sendCatchUp(event(3));
        assertThat(sink.sent).as("nothing live before the catch-up ends").containsExactly(2L, 3L);
        s.goLive();
        s.offer(event(5));
        assertThat(sink.sent).containsExactly(2L, 3L, 4L, 5L);
    }

    @Test
    void aFinalStatusEndsTheStream() {
        Subscription s = subscription(100);
        s.goLive();
        s.offer(event(1));
        s.offer(finalEvent(2));
        s.offer(event(3));
        assertThat(sink.sent).containsExactly(1L, 2L);
        assertThat(sink.closed).isTrue();
        assertThat(onClose).hasValue(1);
    }

    @Test
    void eventsTheStreamDoesNotWantAreNotSent() {
        Subscription s = new Subscription(sink, e -> e.cursor() % 2 == 0, e -> false, 100, onClose::incrementAndGet);
        s.goLive();
        for (long c = 1; c <= 6; c++) {
            s.offer(event(c));
        }
        assertThat(sink.sent).containsExactly(2L, 4L, 6L);
    }

    @Test
    void aSendThatDoesNotCompleteHoldsTheNextUntilItDoes() {
        sink.hold = true;
        Subscription s = subscription(100);
        s.goLive();
        s.offer(event(1));
        s.offer(event(2));
        s.heartbeat();
        assertThat(sink.sent).containsExactly(1L);
        sink.held.get(0).complete(null);
        assertThat(sink.sent).containsExactly(1L, 2L);
        assertThat(sink.heartbeats).isZero();
        sink.held.get(1).complete(null);
        assertThat(sink.heartbeats).isEqualTo(1);
    }

    @Test
    void aClientTooFarBehindIsClosedToCatchUpLater() {
        sink.hold = true;
        Subscription s = subscription(3);
        s.goLive();
        for (long c = 1; c <= 5; c++) {
            s.offer(event(c));
        }
        assertThat(sink.closed).isTrue();
        assertThat(onClose).hasValue(1);
        assertThat(s.isClosed()).isTrue();
    }

    @Test
    void aFailedSendClosesTheStream() {
        sink.hold = true;
        Subscription s = subscription(100);
        s.goLive();
        s.offer(event(1));
        sink.held.get(0).completeExceptionally(new IllegalStateException("client gone"));
        assertThat(sink.closed).isTrue();
    }

    @Test
    void aSinkThatThrowsBecauseItsClientLeftClosesOnlyThisStream() {
        Subscription.Sink gone = new RecordingSink() {
            @Override
            public synchronized CompletionStage<?> send(SyncEvent event) {
                throw new IllegalStateException("Already closed");
            }
        };
        Subscription s = new Subscription(gone, e -> true, e -> false, 100, onClose::incrementAndGet);
        s.goLive();
        s.offer(event(1));
        s.offer(event(2));
        assertThat(s.isClosed()).isTrue();
        assertThat(onClose).hasValue(1);
    }

    @Test
    void manyEventsSentAtOnceDoNotRecurse() {
        Subscription s = subscription(200_000);
        for (long c = 1; c <= 100_000; c++) {
            s.offer(event(c));
        }
        s.goLive();
        assertThat(sink.sent).hasSize(100_000).isSorted();
    }

    @Test
    void offersFromManyThreadsAreSentOnceEachInOrder() throws Exception {
        Subscription s = subscription(1_000_000);
        s.goLive();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch done = new CountDownLatch(4);
        // The listener offers in cursor order from one thread; heartbeats come from another.
        pool.submit(() -> {
            for (long c = 1; c <= 20_000; c++) {
                s.offer(event(c));
            }
            done.countDown();
        });
        for (int t = 0; t < 3; t++) {
            pool.submit(() -> {
                for (int i = 0; i < 1000; i++) {
                    s.heartbeat();
                }
                done.countDown();
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        synchronized (sink) {
            assertThat(sink.sent).hasSize(20_000).isSorted().doesNotHaveDuplicates();
            assertThat(sink.heartbeats).isEqualTo(3000);
        }
    }
}
