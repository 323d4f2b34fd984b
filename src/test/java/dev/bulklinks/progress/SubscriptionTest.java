package dev.bulklinks.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The ordering and flow rules of one stream, on plain objects: no HTTP, no database. */
class SubscriptionTest {

    /** A sink that records what it is sent; sends complete at once unless held. */
    static class RecordingSink implements Subscription.Sink {
        final List<Long> sent = new ArrayList<>();
        final List<CompletableFuture<Void>> held = new ArrayList<>();
        int heartbeats;
        long bytes;
        volatile boolean closed;
        volatile boolean aborted;
        boolean hold;

        @Override
        public synchronized CompletionStage<?> send(SyncEvent event) {
            sent.add(event.cursor());
            bytes += event.size();
            return stage();
        }

        /** Lets the client take every send held so far. */
        void takeAll() {
            List<CompletableFuture<Void>> taken;
            synchronized (this) {
                taken = new ArrayList<>(held);
                held.clear();
            }
            taken.forEach(f -> f.complete(null));
        }

        synchronized List<Long> sent() {
            return List.copyOf(sent);
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

        @Override
        public void abort() {
            aborted = true;
            closed = true;
        }
    }

    static SyncEvent event(long cursor) {
        return new SyncEvent(cursor, "p", "UPDATE", "jobs", "k", "{\"status\":\"processing\"}");
    }

    static SyncEvent finalEvent(long cursor) {
        return new SyncEvent(cursor, "p", "UPDATE", "jobs", "k", "{\"status\":\"done\"}");
    }

    /** A links event of {@code ids} ids, about 40 bytes each, as a chunk writes them. */
    static SyncEvent links(long cursor, int ids) {
        StringBuilder data = new StringBuilder("{\"chunk\":1,\"ids\":[");
        for (int i = 0; i < ids; i++) {
            data.append(i == 0 ? "" : ",").append("\"00000000-0000-4000-8000-").append(String.format("%012d", i)).append('"');
        }
        return new SyncEvent(cursor, "p", "INSERT", "links", "k", data.append("]}").toString());
    }

    final RecordingSink sink = new RecordingSink();
    final AtomicInteger onClose = new AtomicInteger();
    /** Nanoseconds, moved by the test. */
    final AtomicLong now = new AtomicLong();

    /** A stream whose budget holds {@code maxPending} of the small events above. */
    Subscription subscription(int maxPending) {
        long size = event(1).size();
        return subscription(e -> true, new StreamBudget(maxPending * size, Long.MAX_VALUE / 2));
    }

    Subscription subscription(java.util.function.Predicate<SyncEvent> wanted, StreamBudget budget) {
        return new Subscription(sink, wanted, SyncEvent::isFinalJobStatus, budget, Duration.ofSeconds(60), now::get,
                onClose::incrementAndGet);
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
        Subscription s = subscription(e -> e.cursor() % 2 == 0, new StreamBudget(1 << 20, 1 << 30));
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
        Subscription s = new Subscription(gone, e -> true, e -> false, new StreamBudget(1 << 20, 1 << 30),
                Duration.ofSeconds(60), now::get, onClose::incrementAndGet);
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

    // ---- the byte budget --------------------------------------------------------------------------

    @Test
    void aLiveStreamPastItsBytesIsCutOffAndGivesThemBack() {
        sink.hold = true;
        StreamBudget budget = new StreamBudget(100_000, 1_000_000);
        assertThat(budget.admit()).isTrue();
        Subscription s = subscription(e -> true, budget);
        s.goLive();
        // Links events of 1000 ids are about 40 KB: the third does not fit in 100 KB, however few they are.
        s.offer(links(1, 1000));
        s.offer(links(2, 1000));
        assertThat(s.isClosed()).isFalse();
        assertThat(budget.used()).isEqualTo(s.pendingBytes()).isGreaterThan(75_000);
        s.offer(links(3, 1000));
        assertThat(s.isClosed()).isTrue();
        assertThat(sink.aborted).as("cut off, not ended after what waits").isTrue();
        assertThat(sink.sent).containsExactly(1L);
        assertThat(budget.used()).isZero();
        assertThat(onClose).hasValue(1);
    }

    @Test
    void whatTheClientTakesNoLongerCounts() {
        sink.hold = true;
        StreamBudget budget = new StreamBudget(100_000, 1_000_000);
        Subscription s = subscription(e -> true, budget);
        s.goLive();
        for (long c = 1; c <= 50; c++) {
            s.offer(links(c, 1000));
            sink.takeAll();
        }
        assertThat(s.isClosed()).isFalse();
        assertThat(sink.sent).hasSize(50);
        assertThat(budget.used()).isZero();
    }

    @Test
    void aFullInstanceRefusesNewStreamsAndCutsOffTheHeavyOnes() {
        sink.hold = true;
        // Events of about 39 KB; two streams share 160 KB, so each one's share is 80 KB.
        StreamBudget budget = new StreamBudget(150_000, 160_000);
        assertThat(budget.admit()).isTrue();
        Subscription heavy = subscription(e -> true, budget);
        RecordingSink light = new RecordingSink();
        light.hold = true;
        assertThat(budget.admit()).isTrue();
        Subscription reader = new Subscription(light, e -> true, e -> false, budget, Duration.ofSeconds(60), now::get,
                () -> { });
        heavy.goLive();
        reader.goLive();
        heavy.offer(links(1, 1000));
        heavy.offer(links(2, 1000));
        assertThat(budget.admit()).as("less than one stream's budget is left").isFalse();
        reader.offer(links(1, 1000));
        reader.offer(links(2, 1000));
        assertThat(budget.left()).as("the total is full").isLessThan(links(3, 1000).size());
        // The heavy stream would hold more than its share: it is cut off, within its own budget as it is.
        heavy.offer(links(3, 1000));
        assertThat(heavy.isClosed()).isTrue();
        assertThat(sink.aborted).isTrue();
        assertThat(reader.isClosed()).isFalse();
        reader.offer(links(3, 1000));
        assertThat(reader.isClosed()).as("there is room again").isFalse();
        light.takeAll();
        light.takeAll();
        light.takeAll();
        assertThat(light.sent()).containsExactly(1L, 2L, 3L);
        assertThat(budget.used()).isZero();
        assertThat(budget.admit()).isTrue();
    }

    /** Catches {@code s} up, on {@code thread}, with a stored feed of 100 links events of 1000 ids each. */
    private static Future<Integer> catchUpHundredChunks(Subscription s, ExecutorService thread) {
        List<SyncEvent> feed = new ArrayList<>();
        for (long c = 1; c <= 100; c++) {
            feed.add(links(c, 1000));
        }
        return thread.submit(() -> FeedListener.catchUp(s, reader(feed), 0));
    }

    @Test
    void aCatchUpNeverPushesMoreThanTheBudgetAtAClientAndGoesOnAsItReads() throws Exception {
        sink.hold = true;
        StreamBudget budget = new StreamBudget(200_000, 1_000_000);
        Subscription s = subscription(e -> true, budget);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Future<Integer> caughtUp = catchUpHundredChunks(s, thread);
        long maxInFlight = 0;
        while (!caughtUp.isDone()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> caughtUp.isDone() || s.pendingBytes() >= 100_000);
            maxInFlight = Math.max(maxInFlight, s.pendingBytes());
            sink.takeAll();
        }
        thread.shutdown();
        assertThat(caughtUp.get()).isEqualTo(100);
        assertThat(sink.sent()).hasSize(100).isSorted();
        assertThat(maxInFlight).as("bytes sent and not taken, at most").isLessThanOrEqualTo(200_000 + links(1, 1000).size());
        assertThat(s.isClosed()).isFalse();
    }

    @Test
    void aClientThatTakesNothingForTheSendTimeoutIsCutOff() throws Exception {
        sink.hold = true;
        StreamBudget budget = new StreamBudget(200_000, 1_000_000);
        Subscription s = subscription(e -> true, budget);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Future<Integer> caughtUp = catchUpHundredChunks(s, thread);
        await().atMost(Duration.ofSeconds(10)).until(() -> s.pendingBytes() >= 100_000);
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        s.heartbeat();
        assertThat(s.isClosed()).isFalse();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        s.heartbeat();
        assertThat(caughtUp.get(10, TimeUnit.SECONDS)).isLessThan(100);
        thread.shutdown();
        assertThat(s.isClosed()).isTrue();
        assertThat(sink.aborted).isTrue();
        assertThat(budget.used()).isZero();
    }

    @Test
    void liveEventsDroppedDuringALongCatchUpAreReadFromTheFeed() throws Exception {
        StreamBudget budget = new StreamBudget(100_000, 1_000_000);
        Subscription s = subscription(e -> true, budget);
        List<SyncEvent> feed = new ArrayList<>();
        for (long c = 1; c <= 10; c++) {
            feed.add(links(c, 1000));
        }
        sink.hold = true;
        s.sendCatchUp(feed.get(0));
        // The feed goes on while the client is slow: more than the budget comes live.
        for (long c = 11; c <= 20; c++) {
            SyncEvent event = links(c, 1000);
            feed.add(event);
            s.offer(event);
        }
        assertThat(s.isClosed()).as("a catch-up drops what it will read anyway").isFalse();
        sink.hold = false;
        sink.takeAll();
        FeedListener.catchUp(s, reader(feed), 1);
        FeedListener.goLive(s, reader(feed));
        s.offer(links(21, 1000));
        assertThat(sink.sent()).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 21).boxed().toList());
    }

    /** Pages of {@code feed} as the stored feed answers them: after a cursor, up to the byte limit, at least one. */
    static FeedListener.PageReader reader(List<SyncEvent> feed) {
        return (after, maxBytes) -> {
            List<SyncEvent> page = new ArrayList<>();
            long bytes = 0;
            for (SyncEvent event : List.copyOf(feed)) {
                if (event.cursor() > after && bytes < maxBytes) {
                    page.add(event);
                    bytes += event.size();
                }
            }
            return page;
        };
    }
}
