package dev.bulklinks.entity;

import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.ManualWorkers;
import dev.bulklinks.worker.WorkerHandle;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Parents that come in a later chunk than their children: the children wait as pending items for
 * the job's final pass, which writes them after every chunk has run. Chunks run one at a time here
 * (chunks of 100), so each step can be watched.
 */
@QuarkusTest
@TestProfile(ManualWorkers.class)
class LaterParentsTest {

    @Inject
    WorkerHandle worker;

    private void runAll() {
        while (worker.runOne()) {
            // until the queue is empty
        }
    }

    private static Map<String, Object> item(String id, String type, String name, String parent) {
        Map<String, Object> item = new java.util.LinkedHashMap<>();
        if (id != null) {
            item.put("id", id);
        }
        item.put("type", type);
        item.put("name", name);
        if (parent != null) {
            item.put("parent", parent);
        }
        return item;
    }

    @Test
    void childrenInAnEarlierChunkThanTheirParentsAreWrittenByTheFinalPass() {
        String project = Api.newProject();
        runAll(); // whatever earlier tests of this profile left queued
        List<String> categories = new ArrayList<>();
        for (int c = 0; c < 50; c++) {
            categories.add(UUID.randomUUID().toString());
        }
        String missing = UUID.randomUUID().toString();
        List<Map<String, Object>> items = new ArrayList<>();
        // Chunk 0 (items 0 to 99): products of categories that come in chunk 1; item 99's parent never comes.
        for (int i = 0; i < 99; i++) {
            items.add(item(null, "product", "c" + (i % 50) + " p" + (i / 50), categories.get(i % 50)));
        }
        items.add(item(null, "product", "orphan", missing));
        // Chunk 1 (items 100 to 149): the categories.
        for (int c = 0; c < 50; c++) {
            items.add(item(categories.get(c), "category", "category " + c, null));
        }
        long start = json().body(Map.of()).post("/sync/cursors").then().statusCode(200).extract().jsonPath()
                .getLong("result.cursor");
        String token = Api.submit(project, "/entities/bulk", Map.of("entities", items));

        assertThat(worker.runOne()).as("chunk 0").isTrue();
        JsonPath afterFirst = Api.job(project, token);
        assertThat(afterFirst.getString("status")).isEqualTo("processing");
        assertThat(afterFirst.getInt("info.remaining")).as("deferred items still remain").isEqualTo(150);
        assertThat(afterFirst.getInt("info.failed")).isZero();
        json().get("/api/p/{p}/jobs/{t}/results?offset=0&limit=2", project, token).then().statusCode(200)
                .body("result.items[0].pending", org.hamcrest.Matchers.equalTo(true));

        assertThat(worker.runOne()).as("chunk 1").isTrue();
        assertThat(Api.job(project, token).getInt("info.succeeded")).isEqualTo(50);
        assertThat(Api.job(project, token).getString("status")).as("the final pass is still to run")
                .isEqualTo("processing");

        assertThat(worker.runOne()).as("the final pass").isTrue();
        assertThat(worker.runOne()).as("nothing else").isFalse();
        JsonPath job = Api.job(project, token);
        assertThat(job.getString("status")).isEqualTo("done");
        assertThat(job.getInt("info.succeeded")).isEqualTo(149);
        assertThat(job.getInt("info.failed")).isEqualTo(1);
        assertThat(job.getInt("info.remaining")).isZero();

        JsonPath results = json().get("/api/p/{p}/jobs/{t}/results?offset=0&limit=150", project, token)
                .then().statusCode(200).extract().jsonPath();
        assertThat(results.getList("result.items.index", Integer.class)).hasSize(150).isSorted();
        assertThat(results.getString("result.items[0].operation")).isEqualTo("CREATE");
        assertThat(results.getInt("result.items[99].error.code")).isEqualTo(404);
        assertThat(results.getString("result.items[99].error.message")).contains(missing);
        assertThat(results.getString("result.items[100].operation")).isEqualTo("CREATE");
        json().get("/api/p/{p}/jobs/{t}/results?outcome=failed", project, token).then().statusCode(200)
                .body("result.items.index", org.hamcrest.Matchers.contains(99));

        List<String> children = json().queryParam("parent", categories.get(3)).get("/api/p/{p}/entities", project)
                .then().statusCode(200).extract().path("result.entities.name");
        assertThat(children).as("in the order of the import").containsExactly("c3 p0", "c3 p1");

        Set<String> fed = new HashSet<>();
        JsonPath page = json().body(Map.of("cursor", start, "project", project, "limit", 1000)).post("/sync/get")
                .then().statusCode(200).extract().jsonPath();
        for (Map<String, Object> event : page.<Map<String, Object>>getList("result.sync")) {
            if ("entities".equals(event.get("data_type"))) {
                @SuppressWarnings("unchecked")
                List<String> ids = (List<String>) ((Map<String, Object>) event.get("data")).get("ids");
                fed.addAll(ids);
            }
        }
        assertThat(fed).as("the sync feed names every entity written, the deferred ones too").hasSize(149);
    }

    @Test
    void aTreeGivenLeavesFirstIsWrittenWholeWhateverTheDepth() {
        String project = Api.newProject();
        runAll();
        // Four levels in reverse: leaves in chunk 0, their parents in chunk 1, then chunk 2, roots in chunk 3.
        List<List<String>> levels = new ArrayList<>();
        for (int level = 0; level < 4; level++) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ids.add(UUID.randomUUID().toString());
            }
            levels.add(ids);
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (int level = 0; level < 4; level++) {
            for (int i = 0; i < 100; i++) {
                items.add(item(levels.get(level).get(i), "folder", "l" + level + " " + i,
                        level == 3 ? null : levels.get(level + 1).get(i)));
            }
        }
        String token = Api.submit(project, "/entities/bulk", Map.of("entities", items));
        runAll();

        JsonPath job = Api.job(project, token);
        assertThat(job.getString("status")).isEqualTo("done");
        assertThat(job.getInt("info.succeeded")).isEqualTo(400);
        json().get("/api/p/{p}/entities/{id}", project, levels.get(0).get(7)).then().statusCode(200)
                .body("result.parent", org.hamcrest.Matchers.equalTo(levels.get(1).get(7)));
    }

    @Test
    void cancellingAJobWithDeferredItemsCancelsThem() {
        String project = Api.newProject();
        runAll();
        String parent = UUID.randomUUID().toString();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            items.add(item(null, "product", "p" + i, parent));
        }
        items.add(item(parent, "category", "later", null));
        String token = Api.submit(project, "/entities/bulk", Map.of("entities", items));
        assertThat(worker.runOne()).as("chunk 0, its items deferred").isTrue();

        json().post("/api/p/{p}/jobs/{t}/cancel", project, token).then().statusCode(200);
        assertThat(worker.runOne()).as("neither chunk 1 nor the final pass runs").isFalse();
        JsonPath results = json().get("/api/p/{p}/jobs/{t}/results?offset=0&limit=101", project, token)
                .then().statusCode(200).extract().jsonPath();
        assertThat(results.getList("result.items.cancelled", Boolean.class)).hasSize(101).containsOnly(true);
        json().get("/api/p/{p}/entities/{id}", project, parent).then().statusCode(404);
    }
}
