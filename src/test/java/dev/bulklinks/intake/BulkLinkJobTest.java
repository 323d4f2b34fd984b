package dev.bulklinks.intake;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BulkLinkJobTest {

    @Test
    void linkTheOldNameOfLinkTypeMayComeWithItWhenTheyAgree() {
        Api.FolderPair pair = Api.folderPair();
        Map<String, Object> both = new java.util.HashMap<>(link(pair.a(), pair.b(), BREAKDOWN));
        both.put("link", BREAKDOWN);
        Map<String, Object> old = Map.of("input", pair.b(), "output", pair.a(), "link", BREAKDOWN);
        String token = Api.submit(pair.project(), "/links/bulk", Map.of("links", List.of(both, old)));
        JsonPath job = Api.awaitFinal(pair.project(), token);
        assertThat(job.getInt("info.succeeded")).isEqualTo(2);
        assertThat(json().get("/api/p/{p}/links?type={t}", pair.project(), BREAKDOWN).then().statusCode(200)
                .extract().<List<String>>path("result.links.linkType")).containsExactly(BREAKDOWN, BREAKDOWN);
    }

    @Test
    void tenThousandLinksGoFromQueuedThroughProcessingToDone() {
        String project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        List<String> folders = Api.entities(project, "folder", 100);
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            links.add(link(folders.get(i % 100), folders.get((i + 1) % 100), BREAKDOWN));
        }

        String token = Api.submit(project, "/links/bulk", Map.of("links", links));

        List<String> statuses = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            JsonPath job = Api.job(project, token);
            String status = job.getString("status");
            if (statuses.isEmpty() || !statuses.get(statuses.size() - 1).equals(status)) {
                statuses.add(status);
            }
            assertThat(job.getInt("info.total")).isEqualTo(10_000);
            assertThat(job.getInt("info.remaining") + job.getInt("info.succeeded") + job.getInt("info.failed"))
                    .as("counters add up at every read").isEqualTo(10_000);
            return status.equals("done");
        });
        assertThat(List.of("queued", "processing", "done")).as("statuses seen in order").containsSubsequence(statuses);

        JsonPath done = Api.job(project, token);
        assertThat(done.getInt("info.remaining")).isZero();
        assertThat(done.getInt("info.succeeded")).isEqualTo(10_000);
        assertThat(done.getInt("info.failed")).isZero();
        assertThat(done.getString("job")).isEqualTo("bulk_upsert_links");
        assertThat(done.getString("error")).isNull();
        BigDecimal created = new BigDecimal(done.getString("created_on"));
        BigDecimal started = new BigDecimal(done.getString("started_on"));
        BigDecimal finished = new BigDecimal(done.getString("finished_on"));
        assertThat(started).as("it was queued, then processing").isGreaterThanOrEqualTo(created);
        assertThat(finished).isGreaterThanOrEqualTo(started);

        // Every hundredth link starts at folders[0]: 100 of them, read in pages of 30.
        Set<String> ids = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = json().queryParam("input", folders.get(0)).queryParam("limit", 30)
                    .queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                    .get("/api/p/{p}/links", project).then().statusCode(200).extract().jsonPath();
            List<String> outputs = page.getList("result.links.output");
            assertThat(outputs).containsOnly(folders.get(1));
            ids.addAll(page.getList("result.links.id"));
            cursor = page.getString("result.next_cursor");
            pages++;
        } while (cursor != null);
        assertThat(ids).hasSize(100);
        assertThat(pages).isEqualTo(4);
    }

    @Test
    void ndjsonBodyIsReadLineByLine() {
        String project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        List<String> folders = Api.entities(project, "folder", 3);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            body.append("{\"input\":\"").append(folders.get(0)).append("\",\"output\":\"").append(folders.get(1 + i % 2))
                    .append("\",\"linkType\":\"").append(BREAKDOWN).append("\",\"position\":").append(i).append("}\n");
            if (i % 50 == 0) {
                body.append('\n');
            }
        }

        String token = Api.ndjson().queryParam("atomic", "true").body(body.toString())
                .post("/api/p/{p}/links/bulk", project).then().statusCode(202).extract().path("result.'job.token'");

        JsonPath job = Api.awaitFinal(project, token);
        assertThat(job.getString("status")).isEqualTo("done");
        assertThat(job.getInt("info.succeeded")).isEqualTo(250);
        assertThat(job.getBoolean("options.atomic")).isTrue();
        List<Integer> positions = json().queryParam("input", folders.get(0)).queryParam("limit", 1000)
                .get("/api/p/{p}/links", project).then().extract().path("result.links.position");
        assertThat(positions).hasSize(250).isSorted();
    }

    @Test
    void dataSurvivesTheTripThroughStorageIntact() {
        String project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        List<String> folders = Api.entities(project, "folder", 2);
        Map<String, Object> data = Map.of(
                "path", "C:\\shots\\sh010\t\"final\"\nline two\r",
                "unicode", "日本語 ✓ \uD83D\uDE80",
                "nested", Map.of("list", List.of(1, 2.5, true), "empty", Map.of()));
        Map<String, Object> item = new java.util.HashMap<>(link(folders.get(0), folders.get(1), BREAKDOWN));
        item.put("data", data);
        item.put("name", "with \\ backslash");

        String token = Api.submit(project, "/links/bulk", Map.of("links", List.of(item)));

        JsonPath job = Api.awaitFinal(project, token);
        assertThat(job.getInt("info.succeeded")).isEqualTo(1);
        String id = json().get("/api/p/{p}/jobs/{t}/results", project, token).then().extract().path("result.items[0].id");
        JsonPath stored = json().get("/api/p/{p}/links/{id}", project, id).then().statusCode(200).extract().jsonPath();
        assertThat(stored.getMap("result.data")).isEqualTo(Map.of(
                "path", "C:\\shots\\sh010\t\"final\"\nline two\r",
                "unicode", "日本語 ✓ \uD83D\uDE80",
                "nested", Map.of("list", List.of(1, 2.5f, true), "empty", Map.of())));
        assertThat(stored.getString("result.name")).isEqualTo("with \\ backslash");
    }
}
