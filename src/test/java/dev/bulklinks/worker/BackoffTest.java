package dev.bulklinks.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @Test
    void doublesAtEachAttemptAroundTheBase() {
        Duration base = Duration.ofSeconds(1);
        assertThat(Backoff.after(1, base, fixed(0.5))).isEqualTo(Duration.ofSeconds(1));
        assertThat(Backoff.after(2, base, fixed(0.5))).isEqualTo(Duration.ofSeconds(2));
        assertThat(Backoff.after(4, base, fixed(0.5))).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void jitterSpreadsHalfToOneAndAHalfTimes() {
        Duration base = Duration.ofSeconds(2);
        assertThat(Backoff.after(1, base, fixed(0.0))).isEqualTo(Duration.ofSeconds(1));
        assertThat(Backoff.after(1, base, fixed(0.999))).isBetween(Duration.ofMillis(2990), Duration.ofSeconds(3));
    }

    @Test
    void neverGrowsPastTheCap() {
        assertThat(Backoff.after(60, Duration.ofSeconds(1), fixed(0.5))).isEqualTo(Backoff.MAX);
    }
}
