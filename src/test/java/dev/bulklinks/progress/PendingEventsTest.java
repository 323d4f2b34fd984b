package dev.bulklinks.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How the sequencer is woken: at once for events that wait for it, within a while for those that can wait. */
class PendingEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long HOUR = TimeUnit.HOURS.toMillis(1);

    private final PendingEvents pending = new PendingEvents(null);

    @Test
    void eventsThatCanWaitWakeTheSequencerWithinTheirWhileAndASignalAtOnce() throws Exception {
        // Left for later: the sequencer, told to wait an hour, runs once the while is over.
        CompletableFuture<Void> sequencer = CompletableFuture.runAsync(this::awaitAnHour);
        pending.signalWithin(10);
        await().atMost(WAIT).until(sequencer::isDone);

        // Left for later by an hour, then waited for: the signal wakes it at once.
        pending.signalWithin(HOUR);
        sequencer = CompletableFuture.runAsync(this::awaitAnHour);
        pending.signal();
        await().atMost(WAIT).until(sequencer::isDone);

        // Both are cleared by the run: the next wait is the whole hour, cut short only by a new signal.
        sequencer = CompletableFuture.runAsync(this::awaitAnHour);
        assertThat(sequencer).isNotDone();
        pending.signal();
        await().atMost(WAIT).until(sequencer::isDone);
    }

    private void awaitAnHour() {
        try {
            pending.await(HOUR);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
