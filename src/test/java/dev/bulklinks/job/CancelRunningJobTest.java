package dev.bulklinks.job;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulklinks.fixtures.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A job cancelled while the service's workers run its chunks stops at once, with exact counters. */
@QuarkusTest
class CancelRunningJobTest {

    @Inject
    AgroalDataSource dataSource;

    private long linksOf(String token) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*), count(DISTINCT item_index) FROM link WHERE job_token = ?")) {
            ps.setObject(1, UUID.fromString(token));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(2)).as("no item written twice").isEqualTo(rs.getLong(1));
                return rs.getLong(1);
            }
        }
    }

    @Test
    void runningJobStopsWithExactCounters() throws Exception {
        String project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        List<String> folders = Api.entities(project, "folder", 20);
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            links.add(link(folders.get(i % 20), folders.get((i + 3) % 20), BREAKDOWN));
        }
        String token = Api.submit(project, "/links/bulk", Map.of("links", links));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> Api.job(project, token).getInt("info.succeeded") > 0);

        JsonPath cancelled = json().post("/api/p/{p}/jobs/{t}/cancel", project, token).then().statusCode(200)
                .extract().jsonPath().setRootPath("result");

        assertThat(cancelled.getString("status")).isEqualTo("cancelled");
        int succeeded = cancelled.getInt("info.succeeded");
        assertThat(cancelled.getInt("info.remaining")).as("stopped before the end").isPositive();
        assertThat(succeeded + cancelled.getInt("info.remaining") + cancelled.getInt("info.failed")).isEqualTo(30_000);
        assertThat(linksOf(token)).isEqualTo(succeeded);

        // Chunks that were running when the cancel came roll back; once another job has run, none moved.
        String later = Api.submit(project, "/links/bulk", Map.of("links", links.subList(0, 1000)));
        assertThat(Api.awaitFinal(project, later).getString("status")).isEqualTo("done");
        assertThat(Api.job(project, token).getMap("info")).isEqualTo(cancelled.getMap("info"));
        assertThat(linksOf(token)).isEqualTo(succeeded);
    }
}
