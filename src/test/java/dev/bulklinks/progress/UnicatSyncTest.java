package dev.bulklinks.progress;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SeededFeed;
import io.agroal.api.AgroalDataSource;
import dev.bulklinks.fixtures.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The sync protocol as Unicat's Python client (0.7.18) uses it: {@code prepare_for_job} takes
 * {@code cc.cursor} from {@code POST /sync/cursors}, and {@code track_job} polls {@code POST /sync/get
 * {"cc_cursor"}}, moving its cursor to each item's, until the item whose {@code data_key} is the job's
 * token says {@code done}; {@code sync()} reads both kinds of item with {@code cc_cursor}, {@code project}
 * and {@code cursor}, calling again while the answer has a {@code warning}. The client's rules are
 * checked on every answer: int cursors, job items of type "cc" with Unicat's job fields, project items
 * of another type (it moves {@code cursor} for them) whose actions its cache can take.
 */
@QuarkusTest
class UnicatSyncTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URL base;
    @Inject
    AgroalDataSource dataSource;

    private static JsonNode post(String path, Object body, int status) throws Exception {
        String text = json().body(body).post(path).then().statusCode(status).extract().asString();
        JsonNode answer = JSON.readTree(text);
        // The client raises on a body without data, and merges data's keys into its cache.
        assertThat(answer.path("data").isObject()).as(text).isTrue();
        assertThat(answer.path("data").size()).as(text).isZero();
        return answer;
    }

    /** {@code prepare_for_job}: the cc.cursor to track a job from. */
    private static long cursors() throws Exception {
        JsonNode result = post("/sync/cursors", Map.of(), 200).path("result");
        assertThat(result.path("cc.cursor").isIntegralNumber()).as("cc.cursor is an int: %s", result).isTrue();
        assertThat(result.path("cursor").isIntegralNumber()).as("cursor is an int: %s", result).isTrue();
        return result.path("cc.cursor").asLong();
    }

    /** A job of {@code count} links between two fresh folders; answers project and token. */
    private static String[] submit(int count) {
        Api.FolderPair pair = Api.folderPair();
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            links.add(link(pair.a(), pair.b(), BREAKDOWN));
        }
        return new String[] {pair.project(), Api.submit(pair.project(), "/links/bulk", Map.of("links", links))};
    }

    @Test
    void theJobTrackerFollowsAJobToDoneThroughCcCursor() throws Exception {
        long start = cursors();
        String[] job = submit(250);
        String project = job[0], token = job[1];

        // track_job: poll {"cc_cursor": last} until the token's item says done.
        List<JsonNode> progress = new ArrayList<>();
        long[] last = {start};
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode result = post("/sync/get", Map.of("cc_cursor", last[0]), 200).path("result");
            assertThat(result.path("sync").isArray()).isTrue();
            for (JsonNode item : result.path("sync")) {
                assertThat(item.path("cursor").isIntegralNumber()).as("int cursor: %s", item).isTrue();
                assertThat(item.path("cursor").asLong()).as("cursors only grow").isGreaterThan(last[0]);
                assertThat(item.path("type").asText()).as("cc_cursor reads job items: %s", item).isEqualTo("cc");
                assertThat(item.path("data_type").asText()).isEqualTo("jobs");
                last[0] = item.path("cursor").asLong();
                if (item.path("data_key").asText().equals(token)) {
                    progress.add(item);
                    if (item.path("data").path("status").asText().equals("done")) {
                        return true;
                    }
                }
            }
            return false;
        });

        assertThat(progress).extracting(item -> item.path("data").path("status").asText())
                .startsWith("queued", "processing").endsWith("done");
        assertThat(progress).extracting(item -> item.path("cursor").asLong())
                .as("after the cc.cursor handed out before the job was submitted").allMatch(cursor -> cursor > start);
        assertThat(progress).extracting(item -> item.path("action").asText()).first().isEqualTo("INSERT");
        for (JsonNode item : progress) {
            JsonNode data = item.path("data");
            assertThat(data.path("project_gid").asText()).isEqualTo(project);
            assertThat(data.path("job").asText()).isEqualTo("bulk_upsert_links");
            assertThat(data.path("job.token").asText()).isEqualTo(token);
            assertThat(data.path("info").path("total").asInt()).isEqualTo(250);
            assertThat(data.path("info").path("remaining").isIntegralNumber()).isTrue();
            assertThat(data.path("created_on").isNumber()).as("created_on in Unix seconds: %s", data).isTrue();
            assertThat(data.path("updated_on").isNumber()).as("updated_on in Unix seconds: %s", data).isTrue();
        }
        assertThat(progress.get(progress.size() - 1).path("data").path("info").path("remaining").asInt()).isZero();
    }

    @Test
    void aProjectsItemsAreReadWithProjectAndCursor() throws Exception {
        long start = cursors();
        String[] job = submit(250);
        String project = job[0], token = job[1];
        Api.awaitFinal(project, token);

        JsonNode result = post("/sync/get", Map.of("project", project, "cursor", start), 200).path("result");
        assertThat(result.has("warning")).isFalse();
        List<JsonNode> items = new ArrayList<>();
        result.path("sync").forEach(items::add);
        assertThat(items).as("a links item a chunk, no job item without cc_cursor").hasSize(3);
        List<String> ids = new ArrayList<>();
        long previous = start;
        for (JsonNode item : items) {
            assertThat(item.path("cursor").isIntegralNumber()).isTrue();
            assertThat(item.path("cursor").asLong()).isGreaterThan(previous);
            previous = item.path("cursor").asLong();
            assertThat(item.path("type").asText()).as("a project's item has the project's name as type")
                    .isEqualTo(project);
            assertThat(item.path("data_type").asText()).isEqualTo("links");
            // The client's cache fetches or drops UPDATE and DELETE items by data_type, and has no "links":
            // project items it cannot cache must be INSERTs, which it passes over.
            assertThat(item.path("action").asText()).isEqualTo("INSERT");
            assertThat(item.path("data_key").asText()).isEqualTo(token);
            item.path("data").path("ids").forEach(id -> ids.add(id.asText()));
        }
        assertThat(ids).hasSize(250).doesNotHaveDuplicates();
        assertThat(Api.json().get("/api/p/{p}/links/{id}", project, ids.get(0)).then().extract().statusCode())
                .isEqualTo(200);

        // Both readings at once, as sync() asks: the job's items and the project's, merged in cursor order.
        JsonNode both = post("/sync/get", Map.of("cc_cursor", start, "project", project, "cursor", start, "limit", 1000),
                200).path("result");
        List<Long> cursors = new ArrayList<>();
        both.path("sync").forEach(item -> cursors.add(item.path("cursor").asLong()));
        assertThat(cursors).isSorted().doesNotHaveDuplicates();
        List<String> types = new ArrayList<>();
        both.path("sync").forEach(item -> {
            if (item.path("data").path("project_gid").asText().equals(project)) {
                types.add(item.path("type").asText());
            }
        });
        assertThat(types).contains("cc", project).containsOnly("cc", project);
    }

    /** One answer of every job item and every item of {@code project} after {@code start}: its result. */
    private static JsonNode everythingAfter(long start, String project) throws Exception {
        return post("/sync/get", Map.of("cc_cursor", start, "project", project, "cursor", start, "limit", 1000), 200)
                .path("result");
    }

    @Test
    void aWarningSaysToCallAgainAndFollowingItReadsEveryItemOnce() throws Exception {
        long start = cursors();
        String[] job = submit(500);
        String project = job[0], token = job[1];
        Api.awaitFinal(project, token);
        JsonNode whole = everythingAfter(start, project);
        assertThat(whole.has("warning")).isFalse();
        List<String> expected = new ArrayList<>();
        whole.path("sync").forEach(item -> expected.add(item.toString()));
        assertThat(expected).hasSizeGreaterThan(6);

        // Pages of 2, each next request being the one the warning says to send.
        Map<String, Object> request = new LinkedHashMap<>(Map.of("cc_cursor", start, "project", project,
                "cursor", start, "limit", 2));
        List<String> read = new ArrayList<>();
        int warnings = 0;
        while (true) {
            JsonNode result = post("/sync/get", request, 200).path("result");
            result.path("sync").forEach(item -> read.add(item.toString()));
            if (!result.has("warning")) {
                break;
            }
            warnings++;
            String warning = result.path("warning").asText();
            assertThat(result.path("sync").size()).isEqualTo(2);
            Matcher next = Pattern.compile("call POST /sync/get again with (\\{.*?\\}), the cursor of the last item")
                    .matcher(warning);
            assertThat(next.find()).as(warning).isTrue();
            JsonNode body = JSON.readTree(next.group(1));
            long lastCursor = result.path("sync").get(1).path("cursor").asLong();
            assertThat(body.path("cc_cursor").asLong()).isEqualTo(lastCursor);
            assertThat(body.path("cursor").asLong()).isEqualTo(lastCursor);
            assertThat(body.path("project").asText()).isEqualTo(project);
            request = JSON.convertValue(body, Map.class);
        }
        assertThat(warnings).isPositive();
        // Jobs of every visible project come with cc_cursor; this project's are what was submitted here.
        assertThat(read.stream().filter(item -> item.contains(project)).toList())
                .isEqualTo(expected.stream().filter(item -> item.contains(project)).toList());
    }

    @Test
    void anAnswerStopsAtItsByteBudgetWithAWarning() throws Exception {
        String project = Api.newProject();
        long start = cursors();
        long last;
        try (Connection c = dataSource.getConnection()) {
            // 150 items of about 40 KB: 6 MB, past the 4 MB an answer holds (bulklinks.sync.max-pending-bytes).
            last = SeededFeed.links(c, project, 150, 1000);
        }
        long cursor = start;
        List<Integer> sizes = new ArrayList<>();
        List<Long> cursors = new ArrayList<>();
        while (true) {
            JsonNode result = post("/sync/get", Map.of("project", project, "cursor", cursor, "limit", 1000), 200)
                    .path("result");
            sizes.add(result.path("sync").size());
            result.path("sync").forEach(item -> cursors.add(item.path("cursor").asLong()));
            if (!result.has("warning")) {
                break;
            }
            assertThat(result.path("warning").asText()).contains("{\"project\": \"" + project + "\", \"cursor\": "
                    + cursors.get(cursors.size() - 1) + ", \"limit\": 1000}");
            cursor = cursors.get(cursors.size() - 1);
        }
        assertThat(sizes.get(0)).as("the first answer stops at its bytes, well below the limit").isBetween(50, 149);
        assertThat(sizes).hasSizeGreaterThan(1);
        assertThat(cursors).hasSize(150).doesNotHaveDuplicates().isSorted().last().isEqualTo(last);
    }

    @Test
    void theStreamCarriesTheSameItemsAndResumesWithLastEventId() throws Exception {
        long start = cursors();
        String[] job = submit(300);
        String project = job[0], token = job[1];
        Api.awaitFinal(project, token);
        JsonNode stored = everythingAfter(start, project).path("sync");
        List<JsonNode> items = new ArrayList<>();
        stored.forEach(item -> {
            // Jobs of every visible project come with cc_cursor; the stream below asks for this project's.
            if (item.path("data").path("project_gid").asText().equals(project)) {
                items.add(item);
            }
        });

        String url = base + "sync/stream?project=" + project + "&cursor=" + start;
        List<SseClient.Event> first;
        try (SseClient stream = SseClient.open(url, null)) {
            first = stream.until(e -> e.name().equals("links"), WAIT);
        }
        List<SseClient.Event> rest;
        try (SseClient stream = SseClient.open(url, first.get(first.size() - 1).id())) {
            rest = stream.until(e -> e.data().contains("\"status\":\"done\""), WAIT);
        }
        List<JsonNode> all = new ArrayList<>();
        for (SseClient.Event event : first) {
            all.add(JSON.readTree(event.data()));
        }
        for (SseClient.Event event : rest) {
            all.add(JSON.readTree(event.data()));
        }
        assertThat(all).as("the very items /sync/get answers, once each, in order").containsExactlyElementsOf(items);
        List<SseClient.Event> events = new ArrayList<>(first);
        events.addAll(rest);
        for (SseClient.Event event : events) {
            JsonNode item = JSON.readTree(event.data());
            assertThat(event.cursor()).isEqualTo(item.path("cursor").asLong());
            assertThat(event.name()).isEqualTo(item.path("data_type").asText());
        }
    }
}
