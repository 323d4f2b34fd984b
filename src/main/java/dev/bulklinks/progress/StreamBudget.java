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

    long total() {
        return total;
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

    /** Bytes that may still be taken before the total is reached (0 when full). */
    long left() {
        return Math.max(0, total - used.get());
    }

    /** What one stream may hold when the total is full: the total over the streams open. */
    long share() {
        return total / Math.max(1, streams.get());
    }
}
