package dev.bulklinks.worker;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter, so that what fails together does not retry together: chunks, and
 * webhook deliveries.
 */
public final class Backoff {

    /** Longest wait between two attempts. */
    static final Duration MAX = Duration.ofMinutes(5);

    private Backoff() {
    }

    /** The wait after failed attempt number {@code attempt} (1 for the first): base * 2^(attempt-1), times 0.5 to 1.5. */
    static Duration after(int attempt, Duration base, RandomGenerator random) {
        return after(attempt, base, MAX, random);
    }

    /** The same, with {@code max} for the longest wait (before the jitter). */
    public static Duration after(int attempt, Duration base, Duration max, RandomGenerator random) {
        long exponential = base.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        long capped = Math.min(exponential, max.toMillis());
        return Duration.ofMillis((long) (capped * (0.5 + random.nextDouble())));
    }
}
