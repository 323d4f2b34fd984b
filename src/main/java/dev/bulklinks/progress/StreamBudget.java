package dev.bulklinks.progress;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of events held by the streams of one instance, against {@code bulklinks.sync.max-pending-bytes}
 * per stream and {@code bulklinks.sync.max-pending-bytes-total} for them all. Each stream counts what it
 * holds; this adds them up, admits new streams while one more stream's budget fits, and tells a stream
 * its fair share when the total is full.
 */
final class StreamBudget {

    private final long perStream;
    private final long total;
    private final AtomicLong used = new AtomicLong();
    private final AtomicInteger streams = new AtomicInteger();

    StreamBudget(long perStream, long total) {
        this.perStream = perStream;
        this.total = total;
    }

    long perStream() {
        return perStream;
    }

    /** Bytes held by every stream now. */
    long used() {
        return used.get();
    }

    /** Counts a new stream in, unless less than one stream's budget is left (then false). */
    boolean admit() {
        if (used.get() + perStream > total) {
            return false;
        }
        streams.incrementAndGet();
        return true;
    }

    /** A stream admitted by {@link #admit()} has closed. */
    void leave() {
        streams.decrementAndGet();
    }

    void take(long bytes) {
        used.addAndGet(bytes);
    }

    void give(long bytes) {
        used.addAndGet(-bytes);
    }

    /**
     * Takes as much as is left, up to {@code most}, if that is at least {@code least}; answers what it
     * took (0 when less than {@code least} is left). Atomic, so that streams catching up at once never
     * take more than the total between them.
     */
    long takeUpTo(long least, long most) {
        while (true) {
            long now = used.get();
            long took = Math.min(most, total - now);
            if (took < least || took <= 0) {
                return 0;
            }
            if (used.compareAndSet(now, now + took)) {
                return took;
            }
        }
    }

    /** Bytes that may still be taken before the total is reached (0 when full). */
    long left() {
        return Math.max(0, total - used.get());
    }

    /** What one stream may hold when the total is full: the total over the streams open. */
    long share() {
        return total / Math.max(1, streams.get());
    }
}
