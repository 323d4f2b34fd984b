package dev.bulklinks.progress;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.ManualWorkers;
import dev.bulklinks.fixtures.SseClient;
import dev.bulklinks.job.ChunkQueue;
import dev.bulklinks.job.Claim;
import dev.bulklinks.worker.WorkerHandle;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A job's event stream, with the test running the job's 20 chunks one at a time. */
@QuarkusTest
@TestProfile(ManualWorkers.class)
class JobEventStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL base;
    @Inject
    WorkerHandle worker;
    @Inject
    ObjectMapper json;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    ChunkQueue queue;

    @Test
    void streamShowsQueuedProcessingEachChunkAndDoneThenEnds() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project(), a = pair.a(), b = pair.b();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            items.add(link(a, b, BREAKDOWN));
        }
        String token = Api.submit(project, "/links/bulk", Map.of("links", items));

        try (SseClient stream = SseClient.open(base + "api/p/" + project + "/jobs/" + token + "/events", null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            List<JsonNode> statuses = new ArrayList<>();
            statuses.add(read(stream.next(WAIT)));
            assertThat(statuses.get(0).path("status").asText()).isEqualTo("queued");

            // 20 chunks of 100 (the test profile's chunk size); after each, its event arrives.
            for (int chunk = 0; chunk < 20; chunk++) {
                assertThat(worker.runOne()).as("chunk %d was there to run", chunk).isTrue();
                statuses.add(read(stream.next(WAIT)));
                if (chunk == 0) {
                    statuses.add(read(stream.next(WAIT)));
                }
            }
            assertThat(worker.runOne()).as("no chunk left").isFalse();
            assertThat(stream.ended(WAIT)).as("the stream ends after the final status").isTrue();

            assertThat(statuses).extracting(s -> s.path("status").asText())
                    .containsExactly(expected("queued", "processing", 19, "processing", "done"));
            List<Integer> remaining = statuses.stream().skip(1).map(s -> s.path("info").path("remaining").asInt()).toList();
            assertThat(remaining).first().isEqualTo(2000);
            assertThat(remaining.subList(1, remaining.size())).isSortedAccordingTo((x, y) -> y - x).doesNotHaveDuplicates()
                    .last().isEqualTo(0);
            assertThat(statuses.get(statuses.size() - 1).path("info").path("succeeded").asInt()).isEqualTo(2000);
        }

        // Subscribing after the end replays the job from queued to done, then ends at once.
        try (SseClient replay = SseClient.open(base + "api/p/" + project + "/jobs/" + token + "/events", null)) {
            List<SseClient.Event> events = replay.until(e -> false, WAIT);
            assertThat(events).extracting(e -> read(e).path("status").asText())
                    .containsExactly("queued", "processing", "done");
            assertThat(events).extracting(SseClient.Event::cursor).isSorted();
            // Times are written as the job's own answer writes them, not as doubles (1.79E9).
            String answered = Api.json().get("/api/p/{p}/jobs/{t}", project, token).then().statusCode(200)
                    .extract().asString();
            assertThat(time("finished_on", events.get(2).data())).isEqualTo(time("finished_on", answered))
                    .matches("\\d{10}\\.\\d+");
        }
    }

    @Test
    void aStreamOfAJobNotThereIsRefusedInTheEnvelope() {
        String project = Api.newProject();
        UUID unknown = UUID.randomUUID();
        Api.json().accept("text/event-stream").get("/api/p/{p}/jobs/{t}/events", project, unknown).then().statusCode(404)
                .contentType(containsString("application/json"))
                .body("success", equalTo(false))
                .body("result.message", equalTo("Job " + unknown + " not found in project '" + project + "'."));
        Api.json().accept("text/event-stream").get("/api/p/{p}/jobs/{t}/events", project, "1; DROP TABLE job").then()
                .statusCode(400).body("result.message", containsString("is not a job token; job tokens are UUIDs"));
    }

    @Test
    void aJobWhoseEventsAreGoneStreamsItsStatusNowAtTheNewestCursorThenEnds() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String token = Api.submit(pair.project(), "/links/bulk", Map.of("links", List.of(link(pair.a(), pair.b(), BREAKDOWN))));
        while (worker.runOne()) {
            // run every chunk of every job left
        }
        // As if trimmed (older than the feed keeps); renamed rather than deleted, so that the feed keeps its
        // cursors for the other tests of this database.
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE sync_event SET data_key = 'gone-' || data_key WHERE data_key = ? AND data_type = 'jobs'")) {
            ps.setString(1, token);
            assertThat(ps.executeUpdate()).as("the job's events: queued, processing, done").isEqualTo(3);
        }
        long newest = Api.json().body("{}").post("/sync/cursors").then().statusCode(200).extract().jsonPath().getLong("result.cursor");

        try (SseClient stream = SseClient.open(base + "api/p/" + pair.project() + "/jobs/" + token + "/events", null)) {
            List<SseClient.Event> events = stream.until(e -> false, WAIT);
            assertThat(events).hasSize(1);
            JsonNode status = read(events.get(0));
            assertThat(status.path("status").asText()).isEqualTo("done");
            assertThat(status.path("info").path("succeeded").asInt()).isEqualTo(1);
            assertThat(events.get(0).cursor()).as("the feed's newest cursor").isGreaterThanOrEqualTo(newest);
        }
    }

    @Test
    void aSubmissionLeavesItsJobsFirstEventToBeNumberedByAnotherTransaction() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String token = Api.submit(pair.project(), "/links/bulk", Map.of("links", List.of(link(pair.a(), pair.b(), BREAKDOWN))));
        // No worker runs here: the job's row is as its submission's transaction wrote it. Its 202 did not wait
        // to number the event; the sequencer did, after.
        assertThat(numberedByAnother(token, "queued")).as("numbered by a transaction other than the submission's").isTrue();
        while (worker.runOne()) {
            // leave no job queued for the other tests
        }
    }

    @Test
    void aClaimCommitsWithoutWaitingForTheDiskAndLeavesItsJobsStartEventToAnotherTransaction() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String token = Api.submit(pair.project(), "/links/bulk", Map.of("links", List.of(link(pair.a(), pair.b(), BREAKDOWN))));
        // The claim's statement itself lowers its transaction's durability (this one is rolled back).
        String durability;
        QuarkusTransaction.begin();
        try (Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("SET LOCAL synchronous_commit TO on");
            assertThat(queue.claim("test-claim", Duration.ofMinutes(1), null)).as("a chunk to claim").isPresent();
            try (java.sql.ResultSet rs = s.executeQuery("SELECT current_setting('synchronous_commit')")) {
                rs.next();
                durability = rs.getString(1);
            }
        } finally {
            QuarkusTransaction.rollback();
        }
        assertThat(durability).isEqualTo("off");

        // The job moves to processing with the claim, whose event the sequencer numbers after it.
        Claim claim = worker.claim().orElseThrow();
        assertThat(claim.job().toString()).isEqualTo(token);
        assertThat(numberedByAnother(token, "processing")).as("numbered by a transaction other than the claim's").isTrue();
        worker.run(claim);
        assertThat(Api.awaitFinal(pair.project(), token).getString("status")).isEqualTo("done");
    }

    /**
     * Once the job's event of {@code status} has its cursor: whether it was numbered by another transaction
     * than the one that wrote the job's row as it is now.
     */
    private Boolean numberedByAnother(String token, String status) {
        return await().atMost(WAIT).until(() -> {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                    SELECT e.xmin::text <> j.xmin::text FROM sync_event e JOIN job j ON j.token::text = e.data_key
                     WHERE e.data_key = ? AND e.data_type = 'jobs' AND e.data->>'status' = ? AND e.cursor IS NOT NULL""")) {
                ps.setString(1, token);
                ps.setString(2, status);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBoolean(1) : null;
                }
            }
        }, java.util.Objects::nonNull);
    }

    private static String time(String field, String json) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\":([^,}]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", field, json).isTrue();
        return m.group(1);
    }

    @Test
    void theWholeFeedReadFromCursorZeroInPagesGivesEveryEventOnce() {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project(), a = pair.a(), b = pair.b();
        String token = Api.submit(project, "/links/bulk", Map.of("links", List.of(link(a, b, BREAKDOWN),
                link(b, a, BREAKDOWN))));
        while (worker.runOne()) {
            // run every chunk of every job left in this fresh database
        }

        List<Long> cursors = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        long cursor = 0;
        while (true) {
            var page = Api.json().body(Map.of("cc_cursor", cursor, "project", project, "cursor", cursor, "limit", 2))
                    .post("/sync/get").then().statusCode(200).extract().jsonPath();
            List<Long> got = page.getList("result.sync.cursor", Long.class);
            cursors.addAll(got);
            kinds.addAll(page.getList("result.sync.data_type", String.class));
            if (page.getString("result.warning") == null) {
                break;
            }
            cursor = got.get(got.size() - 1);
        }
        assertThat(cursors).isNotEmpty().isSorted().doesNotHaveDuplicates().first().isEqualTo(1L);
        assertThat(kinds).contains("jobs", "links");
        assertThat(Api.job(project, token).getString("status")).isEqualTo("done");
    }

    private static String[] expected(String first, String second, int times, String repeated, String last) {
        List<String> all = new ArrayList<>(List.of(first, second));
        for (int i = 0; i < times; i++) {
            all.add(repeated);
        }
        all.add(last);
        return all.toArray(String[]::new);
    }

    private JsonNode read(SseClient.Event event) {
        assertThat(event).as("an event before the stream ended").isNotNull();
        assertThat(event.name()).isEqualTo("job");
        try {
            return json.readTree(event.data());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
