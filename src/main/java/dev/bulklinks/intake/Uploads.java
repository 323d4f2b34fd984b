package dev.bulklinks.intake;

import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ApiException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;

/**
 * The bulk bodies this instance is receiving. At most {@code bulklinks.intake.max-concurrent} at
 * once: one more is refused with 503 before it is read, as an overload the client retries later. Each
 * is watched while it arrives: a body of which no byte came for {@code idle-timeout}, or that is
 * still arriving after {@code timeout}, is refused with 408 and nothing of it is stored.
 *
 * <p>A body is read by a blocking stream on the request's worker thread, which only an interrupt
 * can wake; so the watch, once a second, interrupts the thread of an upload that is out of time, and
 * never interrupts a thread whose body has been read ({@link Slot#bodyRead}).
 */
@ApplicationScoped
public class Uploads {

    private static final Logger LOG = Logger.getLogger(Uploads.class);

    private final IntakeConfig config;
    private final Semaphore slots;
    private final Set<Slot> receiving = ConcurrentHashMap.newKeySet();

    Uploads(IntakeConfig config) {
        this.config = config;
        this.slots = new Semaphore(config.maxConcurrent());
    }

    /** Takes a slot for a new upload by the current thread; 503 when every slot is taken. */
    Slot start() {
        if (!slots.tryAcquire()) {
            throw new ApiException(new ApiError(503, "This instance is receiving " + config.maxConcurrent()
                    + " bulk bodies already, the most it takes at once; retry after the time in Retry-After"
                    + " (another instance may take it now).", Map.of("maxConcurrent", config.maxConcurrent())));
        }
        Slot slot = new Slot(Thread.currentThread());
        receiving.add(slot);
        return slot;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void watch() {
        long now = System.nanoTime();
        for (Slot slot : receiving) {
            slot.check(now);
        }
    }

    /** One upload in progress: its slot, and the watch over its body. */
    final class Slot implements AutoCloseable {

        private final Thread reader;
        private long started;
        private volatile long lastByte;
        private boolean watched;
        private volatile ApiError timedOut;

        private Slot(Thread reader) {
            this.reader = reader;
        }

        /** {@code body}, watched from now on, noting each time bytes arrive. */
        InputStream watch(InputStream body) {
            synchronized (this) {
                started = System.nanoTime();
                lastByte = started;
                watched = true;
            }
            return new FilterInputStream(body) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    lastByte = System.nanoTime();
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    lastByte = System.nanoTime();
                    return n;
                }

                /** Closing the request's stream reads the rest of its body: of a stalled body, there is none coming. */
                @Override
                public void close() throws IOException {
                    if (timedOut == null) {
                        super.close();
                    }
                }
            };
        }

        private synchronized void check(long now) {
            if (!watched || timedOut != null) {
                return;
            }
            Duration idle = Duration.ofNanos(now - lastByte);
            if (idle.compareTo(config.idleTimeout()) > 0) {
                timedOut = new ApiError(408, "No byte of the body arrived for " + idle.toSeconds() + " s; nothing"
                        + " was stored. Send the body again without pauses longer than " + config.idleTimeout().toSeconds()
                        + " s (bulklinks.intake.idle-timeout).", null);
            } else if (Duration.ofNanos(now - started).compareTo(config.timeout()) > 0) {
                timedOut = new ApiError(408, "The body was still arriving after " + config.timeout().toSeconds()
                        + " s, the longest an upload may take (bulklinks.intake.timeout); nothing was stored."
                        + " Split the import into several jobs.", null);
            } else {
                return;
            }
            LOG.infof("Upload refused: %s", timedOut.message());
            reader.interrupt();
        }

        /**
         * The body is read: the watch ends, so that nothing after it (the database work) is ever
         * interrupted. An upload whose time ran out just before is refused all the same (408).
         */
        void bodyRead() {
            ApiException refused = refusal();
            if (refused != null) {
                throw refused;
            }
        }

        /**
         * Ends the watch; answers the 408 when the watch ended the upload (and clears the interrupt it
         * sent: whatever failed reading the body failed because of it), else null.
         */
        ApiException refusal() {
            synchronized (this) {
                watched = false;
            }
            if (timedOut == null) {
                return null;
            }
            Thread.interrupted();
            return new ApiException(timedOut);
        }

        @Override
        public void close() {
            if (receiving.remove(this)) {
                slots.release();
            }
        }
    }
}
