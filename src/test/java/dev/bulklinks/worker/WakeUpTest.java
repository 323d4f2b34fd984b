package dev.bulklinks.worker;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulklinks.fixtures.Api;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Idle workers are woken by a submission, as many as its job can use: one for a job of one chunk (where
 * all of them woke, every one but the first claimed nothing), all of them for a larger one.
 */
@QuarkusTest
@TestProfile(WakeUpTest.IdleWorkers.class)
class WakeUpTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Three workers and one kept for small jobs, which look for work only when a job is submitted. */
    public static class IdleWorkers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bulklinks.worker.threads", "3", "bulklinks.worker.small-job-threads", "1",
                    "bulklinks.worker.poll-interval", "1h");
        }
    }

    @Inject
    Workers workers;
    @Inject
    MeterRegistry registry;

    @Test
    void aJobOfOneChunkWakesOneIdleWorkerAndALargerJobWakesThemAll() {
        Api.FolderPair pair = Api.folderPair();
        awaitAllWaiting();
        double taken = claims("taken");
        double none = claims("none");

        String small = Api.submit(pair.project(), "/links/bulk", Map.of("links", List.of(link(pair.a(), pair.b(), BREAKDOWN))));
        assertThat(Api.awaitFinal(pair.project(), small).getString("status")).isEqualTo("done");
        awaitAllWaiting();
        assertThat(claims("taken") - taken).as("chunks taken").isEqualTo(1);
        // The one worker woken looked once more after its chunk, and found nothing; no other looked.
        assertThat(claims("none") - none).as("looks that found nothing").isEqualTo(1);

        // Three chunks (of the tests' 100 items): with the poll an hour away, only a wake-up takes them.
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            items.add(link(pair.a(), pair.b(), BREAKDOWN));
        }
        taken = claims("taken");
        String large = Api.submit(pair.project(), "/links/bulk", Map.of("links", items));
        assertThat(Api.awaitFinal(pair.project(), large).getString("status")).isEqualTo("done");
        assertThat(claims("taken") - taken).as("chunks taken").isEqualTo(3);
    }

    private void awaitAllWaiting() {
        await().atMost(WAIT).until(() -> workers.waitingCount() == workers.threadCount());
    }

    private double claims(String outcome) {
        Counter counter = registry.find("bulklinks.worker.claims").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
