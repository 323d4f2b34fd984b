package dev.bulklinks.progress;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SseClient;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SyncFeedTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URL base;
    @Inject
    ObjectMapper json;
    @Inject
    SyncFeed feed;
    @Inject
    AgroalDataSource dataSource;

    /** A project with a type and two folders, and a body of {@code count} links between them. */
    private record Setup(String project, Map<String, Object> body) {
    }

    private static Setup setUp(int count) {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project(), a = pair.a(), b = pair.b();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(link(a, b, BREAKDOWN));
        }
        return new Setup(project, Map.of("links", items));
    }

    /** The newest cursors, as {@code POST /sync/cursors} answers them: the same int twice. */
    static long newest() {
        JsonPath now = json().body(Map.of()).post("/sync/cursors").then().statusCode(200)
                .body("success", equalTo(true)).extract().jsonPath();
        assertThat(now.<Object>get("result.'cc.cursor'")).isInstanceOfAny(Integer.class, Long.class);
        assertThat(now.getLong("result.cursor")).isEqualTo(now.getLong("result.'cc.cursor'"));
        return now.getLong("result.'cc.cursor'");
    }

    /**
     * The project's items and its jobs' items after {@code cursor}, read in pages of {@code limit} as
     * Unicat's client reads them: each item moves the cursor of its kind (type "cc": cc_cursor, else
     * cursor), and it calls again while the answer has a warning.
     */
    static List<JsonPath> readAll(String project, long cursor, int limit) {
        List<JsonPath> items = new ArrayList<>();
        long cc = cursor;
        long own = cursor;
        while (true) {
            JsonPath page = json().body(Map.of("cc_cursor", cc, "project", project, "cursor", own, "limit", limit))
                    .post("/sync/get").then().statusCode(200).body("success", equalTo(true)).extract().jsonPath();
            int size = page.getList("result.sync").size();
            assertThat(size).isLessThanOrEqualTo(limit);
            for (int i = 0; i < size; i++) {
                JsonPath item = new JsonPath(page.prettify()).setRootPath("result.sync[" + i + "]");
                assertThat(item.<Object>get("cursor")).isInstanceOfAny(Integer.class, Long.class);
                if (item.getString("type").equals("cc")) {
                    assertThat(item.getLong("cursor")).isGreaterThan(cc);
                    cc = item.getLong("cursor");
                } else {
                    assertThat(item.getLong("cursor")).isGreaterThan(own);
                    own = item.getLong("cursor");
                }
                // Jobs of every visible project come with cc_cursor: keep this project's.
                if (project.equals(item.getString("data.project_gid"))) {
                    items.add(item);
                }
            }
            if (page.getString("result.warning") == null) {
                return items;
            }
            assertThat(size).as("a warning comes with a full page").isEqualTo(limit);
        }
    }

    @Test
    void theFeedReadInPagesGivesEveryEventOnceInOrder() {
        long start = newest();
        Setup setup = setUp(1000);
        String token = Api.submit(setup.project(), "/links/bulk", setup.body());
        Api.awaitFinal(setup.project(), token);

        List<JsonPath> events = readAll(setup.project(), start, 3);
        List<Long> cursors = events.stream().map(e -> e.getLong("cursor")).toList();
        assertThat(cursors).isSorted().doesNotHaveDuplicates();
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getString("type")).isEqualTo(e.getString("data_type").equals("jobs") ? "cc" : setup.project());
            assertThat(e.getString("data_key")).isEqualTo(token);
        });
        List<String> jobEvents = events.stream().filter(e -> e.getString("data_type").equals("jobs"))
                .map(e -> e.getString("action") + " " + e.getString("data.status")).toList();
        assertThat(jobEvents).containsExactly("INSERT queued", "UPDATE processing", "UPDATE done");
        List<JsonPath> links = events.stream().filter(e -> e.getString("data_type").equals("links")).toList();
        assertThat(links).as("one event a chunk").hasSize(10);
        assertThat(links.stream().mapToInt(e -> e.getInt("data.count")).sum()).isEqualTo(1000);
        assertThat(links.stream().flatMap(e -> e.getList("data.ids", String.class).stream()).distinct().count())
                .isEqualTo(1000);
        assertThat(links.get(0).getString("data.'job.token'")).isEqualTo(token);
    }

    @Test
    void eachChunkThatWroteHasOneEventOfItsIdsInItemOrder() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project();
        // Chunks of 100: some failures in chunks 0 and 1, nothing but failures in chunk 2 (so no event).
        List<Map<String, Object>> mixed = new ArrayList<>();
        List<Map<String, Object>> good = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            mixed.add(link(pair.a(), pair.b(), i >= 200 || i % 7 == 3 ? "no-such-type" : BREAKDOWN));
            good.add(link(pair.b(), pair.a(), BREAKDOWN));
        }
        long start = newest();
        String plain = Api.submit(project, "/links/bulk", Map.of("links", mixed));
        Api.awaitFinal(project, plain);
        String atomic = Api.submit(project, "/links/bulk", Map.of("links", good, "atomic", true));
        assertThat(Api.awaitFinal(project, atomic).getString("status")).isEqualTo("done");

        JsonNode answer = json.readTree(json().body(Map.of("project", project, "cursor", start)).post("/sync/get")
                .then().statusCode(200).extract().asString());
        Map<String, List<String>> events = new HashMap<>();
        answer.path("result").path("sync").forEach(item -> events
                .computeIfAbsent(item.path("data_key").asText(), key -> new ArrayList<>())
                .add(item.path("data").toString()));
        assertThat(events.keySet()).containsExactlyInAnyOrder(plain, atomic);
        // Chunks of a job run by several workers commit in any order; an atomic job's, in chunk order.
        assertThat(events.get(plain)).hasSize(2).containsExactlyInAnyOrderElementsOf(chunkEvents(project, plain));
        assertThat(events.get(atomic)).hasSize(3).containsExactlyElementsOf(chunkEvents(project, atomic));
    }

    /** The events a job's chunks should have, exactly as answered: built from its results. */
    private static List<String> chunkEvents(String project, String token) {
        List<Map<String, Object>> results = json().get("/api/p/{p}/jobs/{t}/results?limit=1000", project, token)
                .then().statusCode(200).extract().path("result.items");
        Map<Integer, List<String>> ids = new java.util.TreeMap<>();
        for (Map<String, Object> result : results) {
            if (Boolean.TRUE.equals(result.get("success"))) {
                ids.computeIfAbsent((Integer) result.get("index") / 100, n -> new ArrayList<>())
                        .add("\"" + result.get("id") + "\"");
            }
        }
        List<String> events = new ArrayList<>();
        ids.forEach((chunk, written) -> events.add("{\"job.token\":\"" + token + "\",\"project_gid\":\"" + project
                + "\",\"chunk\":" + chunk + ",\"count\":" + written.size() + ",\"ids\":[" + String.join(",", written)
                + "]}"));
        return events;
    }

    @Test
    void aStreamResumedWithLastEventIdMissesNothingAndRepeatsNothing() throws Exception {
        long start = newest();
        Setup setup = setUp(5000);
        String url = base + "sync/stream?project=" + setup.project() + "&cursor=" + start;
        List<SseClient.Event> received = new ArrayList<>();
        String token;
        try (SseClient first = SseClient.open(url, null)) {
            assertThat(first.status()).isEqualTo(200);
            token = Api.submit(setup.project(), "/links/bulk", setup.body());
            received.addAll(first.until(e -> e.name().equals("links"), WAIT));
        }
        // Reconnect as a browser does: the same URL, and the last id seen.
        String lastId = received.get(received.size() - 1).id();
        try (SseClient second = SseClient.open(url, lastId)) {
            received.addAll(second.until(e -> e.name().equals("jobs") && e.data().contains("\"status\":\"done\""), WAIT));
        }

        List<Long> cursors = received.stream().map(SseClient.Event::cursor).toList();
        assertThat(cursors).as("nothing twice, in order").isSorted().doesNotHaveDuplicates();
        Map<Long, String> byCursor = new HashMap<>();
        received.forEach(e -> byCursor.put(e.cursor(), e.data()));
        List<JsonPath> stored = readAll(setup.project(), start, 1000);
        assertThat(stored).isNotEmpty();
        for (JsonPath event : stored) {
            long cursor = event.getLong("cursor");
            assertThat(byCursor).as("event %d was streamed", cursor).containsKey(cursor);
            JsonNode streamed = json.readTree(byCursor.get(cursor));
            assertThat(streamed.path("data_key").asText()).isEqualTo(event.getString("data_key"));
            assertThat(streamed.path("action").asText()).isEqualTo(event.getString("action"));
        }
        assertThat(received).filteredOn(e -> e.name().equals("links"))
                .extracting(e -> json.readTree(e.data()).path("data").path("count").asInt())
                .containsOnly(100).hasSize(50);
        assertThat(Api.job(setup.project(), token).getString("status")).isEqualTo("done");
        // The wire form stays what it always was: compact JSON as Jackson writes it, whether PostgreSQL
        // built the event (links: json_build_object writes "count" : 100) or the service did (jobs).
        for (SseClient.Event event : received) {
            assertThat(event.data()).isEqualTo(json.readTree(event.data()).toString());
        }
    }

    @Test
    void theStreamSkipsOtherProjectsAndStartsAtTheNewestWithoutACursor() {
        Setup mine = setUp(200);
        Setup other = setUp(200);
        try (SseClient stream = SseClient.open(base + "sync/stream?project=" + mine.project(), null)) {
            String otherToken = Api.submit(other.project(), "/links/bulk", other.body());
            Api.awaitFinal(other.project(), otherToken);
            String token = Api.submit(mine.project(), "/links/bulk", mine.body());
            List<SseClient.Event> events = stream.until(
                    e -> e.data().contains("\"status\":\"done\""), WAIT);
            assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.data()).contains(token)
                    .doesNotContain(otherToken));
            assertThat(stream.comments()).contains("stream open");
        }
    }

    @Test
    void anIdleStreamGetsHeartbeatComments() {
        String project = Api.newProject();
        try (SseClient stream = SseClient.open(base + "sync/stream?project=" + project, null)) {
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> stream.comments().contains("heartbeat"));
            assertThat(stream.ended(Duration.ofMillis(10))).isFalse();
        }
    }

    @Test
    void aCursorOlderThanTheFeedKeepsMustResync() throws Exception {
        long start = newest();
        Setup setup = setUp(100);
        String token = Api.submit(setup.project(), "/links/bulk", setup.body());
        Api.awaitFinal(setup.project(), token);
        // Age this project's events past the retention, then trim.
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "UPDATE sync_event SET created_at = now() - interval '8 days' WHERE project = ?")) {
                ps.setString(1, setup.project());
                ps.executeUpdate();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        int trimmed = QuarkusTransaction.requiringNew().call(() -> feed.trim(Duration.ofDays(7), 10_000));
        assertThat(trimmed).isGreaterThanOrEqualTo(4);

        long newest = newest();
        json().body(Map.of("cc_cursor", start)).post("/sync/get").then().statusCode(410)
                .body("success", equalTo(false)).body("result.code", equalTo(410)).body("data.size()", equalTo(0))
                .body("result.message", containsString("cc_cursor " + start + " is older than the items this feed keeps"))
                .body("result.message", containsString("resync"))
                .body("result.info.newest", equalTo((int) newest));
        json().body(Map.of("project", setup.project(), "cursor", start)).post("/sync/get").then().statusCode(410)
                .body("result.message", containsString("cursor " + start + " is older"));
        try (SseClient stream = SseClient.open(base + "sync/stream?cursor=" + start, null)) {
            assertThat(stream.status()).isEqualTo(410);
        }
        json().body(Map.of("cc_cursor", newest)).post("/sync/get").then().statusCode(200);
        json().body(Map.of("cc_cursor", newest + 1000)).post("/sync/get").then().statusCode(410)
                .body("result.message", containsString("not given by this feed"));
    }

    @Test
    void badRequestsToTheFeed() {
        String project = Api.newProject();
        json().body(Map.of("cc_cursor", -1)).post("/sync/get").then().statusCode(400)
                .body("result.message", containsString("cc_cursor must be 0 or more"));
        json().body(Map.of("cursr", 1)).post("/sync/get").then().statusCode(400)
                .body("result.message", containsString("Unknown field 'cursr'"));
        json().body(Map.of("cc_cursor", "ten")).post("/sync/get").then().statusCode(400)
                .body("result.message", containsString("cc_cursor"));
        json().body(Map.of("cursor", 0)).post("/sync/get").then().statusCode(400)
                .body("result.message", containsString("give project too"));
        json().body(Map.of("project", project)).post("/sync/get").then().statusCode(400)
                .body("result.message", containsString("project needs its cursor"));
        json().body(Map.of()).post("/sync/get").then().statusCode(400)
                .body("result.message", containsString("POST /sync/cursors"));
        json().body(Map.of("cursor", 0, "project", "nosuch")).post("/sync/get").then().statusCode(404);
        json().body(Map.of("cc_cursor", 0, "limit", 5000)).post("/sync/get").then().statusCode(400);
        json().body(Map.of("project", project)).post("/sync/cursors").then().statusCode(400)
                .body("result.message", containsString("Unknown field 'project'"));
        try (SseClient stream = SseClient.open(base + "sync/stream?cursor=abc", null)) {
            assertThat(stream.status()).isEqualTo(400);
        }
        Set<String> paths = new LinkedHashSet<>(json().get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath().getMap("paths").keySet().stream().map(String::valueOf).toList());
        assertThat(paths).contains("/sync/cursors", "/sync/get", "/sync/stream", "/api/p/{project}/jobs/{token}/events");
    }
}
