package dev.bulklinks.progress;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.database.EmbeddedDatabase;
import dev.bulklinks.fixtures.ServiceProcess;
import dev.bulklinks.fixtures.SseClient;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the packaged service share one database: B does the work, A has no workers and
 * streams the events. A sees all of B's events, as they happen.
 */
class ProgressAcrossInstancesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static EmbeddedDatabase database;
    static ServiceProcess streaming;
    static ServiceProcess working;

    @BeforeAll
    static void start() {
        database = EmbeddedDatabase.open(dir.resolve("db"), true, false);
        Map<String, String> shared = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", database.user(),
                "QUARKUS_DATASOURCE_PASSWORD", database.password(),
                "BULKLINKS_INTAKE_CHUNK_SIZE", "100");
        Map<String, String> noWorkers = new HashMap<>(shared);
        noWorkers.put("BULKLINKS_WORKER_ENABLED", "false");
        streaming = ServiceProcess.start(dir.resolve("a"), noWorkers);
        working = ServiceProcess.start(dir.resolve("b"), shared);
    }

    @AfterAll
    static void stop() {
        if (streaming != null) {
            streaming.close();
        }
        if (working != null) {
            working.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static RequestSpecification api(ServiceProcess service) {
        return given().baseUri(service.baseUrl()).header("Authorization", service.bearer()).contentType(ContentType.JSON);
    }

    @Test
    void aJobRunByOneInstanceIsStreamedWholeByTheOther() throws Exception {
        api(streaming).body(Map.of("name", "shared")).post("/api/projects").then().statusCode(201);
        api(streaming).body(Map.of()).put("/api/p/shared/links/types/{t}", BREAKDOWN).then().statusCode(201);
        String a = api(streaming).body(Map.of("type", "folder", "name", "a")).post("/api/p/shared/entities")
                .then().statusCode(201).extract().path("result.id");
        String b = api(streaming).body(Map.of("type", "folder", "name", "b")).post("/api/p/shared/entities")
                .then().statusCode(201).extract().path("result.id");
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            links.add(Map.of("input", a, "output", b, "linkType", BREAKDOWN));
        }
        long start = api(working).body(Map.of()).post("/sync/cursors").then().statusCode(200).extract().jsonPath()
                .getLong("result.cursor");

        try (SseClient feed = SseClient.open(streaming.baseUrl() + "/sync/stream?project=shared", null, streaming.bearer())) {
            String token = api(working).body(Map.of("links", links)).post("/api/p/shared/links/bulk").then()
                    .statusCode(202).extract().path("result.'job.token'");

            try (SseClient job = SseClient.open(streaming.baseUrl() + "/api/p/shared/jobs/" + token + "/events", null,
                    streaming.bearer())) {
                List<SseClient.Event> events = job.until(e -> false, WAIT);
                assertThat(job.ended(WAIT)).isTrue();
                List<JsonNode> statuses = new ArrayList<>();
                for (SseClient.Event event : events) {
                    statuses.add(JSON.readTree(event.data()));
                }
                assertThat(statuses.get(0).path("status").asText()).isEqualTo("queued");
                assertThat(statuses.get(1).path("status").asText()).isEqualTo("processing");
                JsonNode last = statuses.get(statuses.size() - 1);
                assertThat(last.path("status").asText()).isEqualTo("done");
                assertThat(last.path("info").path("succeeded").asInt()).isEqualTo(3000);
                assertThat(statuses.stream().skip(1).map(s -> s.path("info").path("remaining").asInt()).toList())
                        .isSortedAccordingTo((x, y) -> y - x);
            }

            List<SseClient.Event> streamed = feed.until(e -> e.data().contains("\"status\":\"done\""), WAIT);
            List<Long> cursors = streamed.stream().map(SseClient.Event::cursor).toList();
            assertThat(cursors).isSorted().doesNotHaveDuplicates();
            JsonPath stored = api(working).body(Map.of("cc_cursor", start, "project", "shared", "cursor", start,
                    "limit", 1000)).post("/sync/get").then().statusCode(200).extract().jsonPath();
            List<Long> storedCursors = stored.getList("result.sync.cursor", Long.class);
            assertThat(storedCursors).hasSizeGreaterThanOrEqualTo(33);
            assertThat(cursors).as("A streamed every event B stored").containsAll(storedCursors);
            assertThat(working.log()).contains("job " + token + ": done");
            assertThat(streaming.log()).doesNotContain("job " + token + ": done")
                    .contains("Workers are off in this instance");
        }
    }
}
