package dev.bulklinks.monitoring;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulklinks.fixtures.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The instances as an operator sees them at GET /api/admin/instances. */
@QuarkusTest
class InstancesTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void thisInstanceIsAliveWithItsWorkersAndTheChunksItCommitted() {
        List<Map<String, Object>> links = new ArrayList<>();
        Api.FolderPair pair = Api.folderPair();
        for (int i = 0; i < 300; i++) { // three chunks in the test profile
            links.add(Api.link(pair.a(), pair.b(), BREAKDOWN));
        }
        Api.awaitFinal(pair.project(), Api.submit(pair.project(), "/links/bulk", Map.of("links", links)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> alive = alive();
            assertThat(alive).as("alive instances: this one").hasSize(1);
            Map<String, Object> self = alive.get(0);
            assertThat(self.get("workers")).isEqualTo(4); // the test profile's bulklinks.worker.threads
            assertThat((Integer) self.get("workers_busy") + (Integer) self.get("workers_idle")).isEqualTo(4);
            assertThat((Integer) self.get("chunks_last_minute")).isGreaterThanOrEqualTo(3);
            assertThat(self.get("stopped_on")).isNull();
        });
    }

    @Test
    void aLiveInstanceStaysAliveBetweenItsHeartbeats() {
        // The test profile's heartbeat is 1s; Quarkus' scheduler fires at most once a second, so a shorter one
        // (200 ms, before) left the instance shown gone for 400 ms of every second.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> alive().size() == 1);
    }

    @Test
    void goneInstancesAreListedAfterTheAliveOnesThenDropped() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM instance WHERE name LIKE 'other-%'");
            s.executeUpdate("""
                    INSERT INTO instance (name, started_at, seen_at, workers, workers_busy, chunks_last_minute) VALUES
                      ('other-died', now() - interval '1 day', now() - interval '5 minutes', 2, 2, 40),
                      ('other-forgotten', now() - interval '1 day', now() - interval '2 hours', 2, 1, 10)""");
            s.executeUpdate("""
                    INSERT INTO instance (name, started_at, seen_at, stopped_at, workers, workers_busy, chunks_last_minute)
                    VALUES ('other-stopped', now() - interval '1 hour', now(), now(), 2, 0, 0)""");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> all = json().get("/api/admin/instances").then().statusCode(200)
                    .extract().path("result.instances");
            assertThat(all).extracting(i -> i.get("name")).doesNotContain("other-forgotten");
            assertThat(all.get(0).get("alive")).isEqualTo(true);
            Map<String, Object> died = all.stream().filter(i -> i.get("name").equals("other-died")).findFirst().orElseThrow();
            assertThat(died).containsEntry("alive", false).containsEntry("workers_busy", 0)
                    .containsEntry("workers_idle", 0).containsEntry("chunks_last_minute", 0);
            assertThat(all).filteredOn(i -> i.get("name").equals("other-stopped")).singleElement()
                    .satisfies(i -> assertThat(i.get("alive")).isEqualTo(false))
                    .satisfies(i -> assertThat(i.get("stopped_on")).isNotNull());
            assertThat(all.subList(1, all.size())).allSatisfy(i -> assertThat(i.get("alive")).isEqualTo(false));
        });
    }

    @Test
    void onlyAdminsSeeTheInstances() {
        String project = Api.newProject();
        String member = Api.member("ops", project, Map.of("role", "manager")).bearer();
        json().header("Authorization", member).get("/api/admin/instances").then().statusCode(403);
    }

    private static List<Map<String, Object>> alive() {
        List<Map<String, Object>> all = json().get("/api/admin/instances").then().statusCode(200)
                .extract().path("result.instances");
        return all.stream().filter(i -> Boolean.TRUE.equals(i.get("alive"))).toList();
    }
}
