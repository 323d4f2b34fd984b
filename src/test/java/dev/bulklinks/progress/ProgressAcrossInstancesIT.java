package dev.bulklinks.progress;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.ServiceProcess;
import dev.bulklinks.fixtures.SseClient;
import dev.bulklinks.fixtures.TwoInstances;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    static TwoInstances instances;

    @BeforeAll
    static void start() {
        instances = TwoInstances.start(dir);
    }

    @AfterAll
    static void stop() {
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void aJobRunByOneInstanceIsStreamedWholeByTheOther() throws Exception {
        Api.FolderPair pair = instances.folderPair("shared");
        String a = pair.a(), b = pair.b();
        ServiceProcess streaming = instances.following, working = instances.working;
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            links.add(Map.of("input", a, "output", b, "linkType", BREAKDOWN));
        }
        long start = TwoInstances.api(working).body(Map.of()).post("/sync/cursors").then().statusCode(200).extract().jsonPath()
                .getLong("result.cursor");

        try (SseClient feed = SseClient.open(streaming.baseUrl() + "/sync/stream?project=shared", null, streaming.bearer())) {
            String token = TwoInstances.api(working).body(Map.of("links", links)).post("/api/p/shared/links/bulk").then()
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
            JsonPath stored = TwoInstances.api(working).body(Map.of("cc_cursor", start, "project", "shared", "cursor", start,
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
