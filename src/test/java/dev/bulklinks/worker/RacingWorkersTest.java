package dev.bulklinks.worker;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many workers claiming from one job never run a chunk twice. */
@QuarkusTest
class RacingWorkersTest {

    @Inject
    ChunkRunner runner;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void racingWorkersWriteEachItemExactlyOnce() throws Exception {
        String project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        List<String> folders = Api.entities(project, "folder", 50);
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            links.add(link(folders.get(i % 50), folders.get((i + 7) % 50), BREAKDOWN));
        }

        String token = Api.submit(project, "/links/bulk", Map.of("links", links));

        // Eight more workers race the service's own four over the job's 200 chunks, until none is left.
        ExecutorService racers = Executors.newFixedThreadPool(8);
        List<Future<Integer>> claimed = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String owner = "racer-" + i;
            claimed.add(racers.submit(() -> {
                int count = 0;
                for (var claim = runner.claim(owner, null); claim.isPresent(); claim = runner.claim(owner, null)) {
                    runner.run(claim.get());
                    count++;
                }
                return count;
            }));
        }
        JsonPath job = Api.awaitFinal(project, token);
        int byRacers = 0;
        for (Future<Integer> f : claimed) {
            byRacers += f.get(60, TimeUnit.SECONDS);
        }
        racers.shutdown();

        assertThat(job.getString("status")).isEqualTo("done");
        assertThat(job.getInt("info.succeeded")).isEqualTo(20_000);
        assertThat(byRacers).as("the racers took part").isPositive();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT count(*), count(DISTINCT item_index), min(item_index), max(item_index)
                          FROM link WHERE job_token = ?""")) {
            ps.setObject(1, UUID.fromString(token));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("links written").isEqualTo(20_000);
                assertThat(rs.getInt(2)).as("distinct items").isEqualTo(20_000);
                assertThat(rs.getInt(3)).isZero();
                assertThat(rs.getInt(4)).isEqualTo(19_999);
            }
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*), sum(succeeded) FROM job_chunk WHERE job_token = ? AND state = 'done'")) {
            ps.setObject(1, UUID.fromString(token));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("chunks done").isEqualTo(200);
                assertThat(rs.getInt(2)).isEqualTo(20_000);
            }
        }
    }
}
