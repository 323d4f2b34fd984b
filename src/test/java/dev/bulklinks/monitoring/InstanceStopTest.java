package dev.bulklinks.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An instance's recorded stop stands against a heartbeat of the same run that commits after it (one that
 * began just before shutdown), so the dashboard shows it stopped, not alive and then gone; a new run
 * under the same name is alive again, and shown started when it did.
 */
@QuarkusTest
class InstanceStopTest {

    @Inject
    InstanceRepository instances;

    @Test
    void aLateHeartbeatOfTheSameRunLeavesTheStopANewRunClearsIt() throws SQLException {
        String name = "stop-test-" + UUID.randomUUID();
        Instant run = Instant.now().truncatedTo(ChronoUnit.MICROS);
        instances.beat(name, run, 2, 1, 5);
        instances.stopped(name);
        instances.beat(name, run, 2, 1, 5);
        InstanceRepository.InstanceView stopped = view(name);
        assertThat(stopped.alive()).isFalse();
        assertThat(stopped.stoppedOn()).isNotNull();

        instances.beat(name, run.plusSeconds(60), 2, 0, 0);
        InstanceRepository.InstanceView again = view(name);
        assertThat(again.alive()).isTrue();
        assertThat(again.stoppedOn()).isNull();
        assertThat(again.startedOn()).as("the new run's start").isEqualTo(run.plusSeconds(60));
    }

    private InstanceRepository.InstanceView view(String name) throws SQLException {
        return instances.list(Duration.ofMinutes(1)).stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow();
    }
}
