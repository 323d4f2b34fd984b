package dev.bulklinks.entity;

import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EntityTest {

    String project;

    @BeforeEach
    void setUp() {
        project = Api.newProject();
    }

    @Test
    void createReadAndRefuseDuplicates() {
        String id = UUID.randomUUID().toString();
        json().body(Map.of("id", id, "type", "folder", "name", "sq010", "source", "shotgrid", "sourceId", "1001",
                "data", Map.of("frames", 120))).post("/api/p/{p}/entities", project)
                .then().statusCode(201).body("result.id", equalTo(id));

        json().get("/api/p/{p}/entities/{id}", project, id.replace("-", "")).then().statusCode(200)
                .body("result.id", equalTo(id)).body("result.type", equalTo("folder"))
                .body("result.sourceId", equalTo("1001")).body("result.data.frames", equalTo(120));

        json().body(Map.of("id", id, "type", "folder", "name", "again")).post("/api/p/{p}/entities", project)
                .then().statusCode(409).body("result.message", containsString("already taken"));
        json().body(Map.of("type", "folder", "name", "x", "source", "shotgrid", "sourceId", "1001"))
                .post("/api/p/{p}/entities", project)
                .then().statusCode(409).body("result.message", containsString("already belongs to entity " + id));
        json().body(Map.of("type", "folder", "name", "x", "parent", UUID.randomUUID().toString()))
                .post("/api/p/{p}/entities", project)
                .then().statusCode(404).body("result.message", containsString("Parent entity"));
        json().body(Map.of("type", "bad type!", "name", "x")).post("/api/p/{p}/entities", project)
                .then().statusCode(400).body("result.message", containsString("not a valid entity type"));
        json().body(Map.of("type", "folder", "name", "x", "source", "only")).post("/api/p/{p}/entities", project)
                .then().statusCode(400).body("result.message", containsString("go together"));
        json().get("/api/p/{p}/entities/{id}", Api.newProject(), id).then().statusCode(404);
    }

    @Test
    void bulkImportCreatesThenUpdatesBySourceKey() {
        String root = UUID.randomUUID().toString();
        List<Map<String, Object>> first = List.of(
                Map.of("id", root, "type", "folder", "name", "root"),
                Map.of("type", "folder", "name", "child b", "parent", root, "source", "erp", "sourceId", "b"),
                Map.of("type", "folder", "name", "child a", "parent", root, "source", "erp", "sourceId", "a"));
        String token = Api.submit(project, "/entities/bulk", Map.of("entities", first));
        JsonPath job = Api.awaitFinal(project, token);
        assertThat(job.getString("status")).isEqualTo("done");
        assertThat(job.getString("job")).isEqualTo("bulk_upsert_entities");
        assertThat(job.getInt("info.succeeded")).isEqualTo(3);

        List<Map<String, Object>> second = List.of(
                Map.of("type", "folder", "name", "child a renamed", "source", "erp", "sourceId", "a"),
                Map.of("type", "folder", "name", "child c", "parent", root, "source", "erp", "sourceId", "c"),
                Map.of("type", "folder", "name", "orphan", "parent", UUID.randomUUID().toString()));
        String token2 = Api.submit(project, "/entities/bulk", Map.of("entities", second));
        JsonPath job2 = Api.awaitFinal(project, token2);
        assertThat(job2.getInt("info.succeeded")).isEqualTo(2);
        assertThat(job2.getInt("info.failed")).isEqualTo(1);
        List<String> operations = json().get("/api/p/{p}/jobs/{t}/results", project, token2).then().extract()
                .path("result.items.operation");
        assertThat(operations).containsExactly("UPDATE", "CREATE", null);

        List<String> children = json().get("/api/p/{p}/entities?parent={r}", project, root).then().statusCode(200)
                .extract().path("result.entities.name");
        assertThat(children).containsExactly("child b", "child a renamed", "child c");
        List<String> found = json().get("/api/p/{p}/entities?q=RENAMED", project).then().extract()
                .path("result.entities.name");
        assertThat(found).containsExactly("child a renamed");
        List<String> paged = json().get("/api/p/{p}/entities?type=folder&limit=2", project).then().extract()
                .path("result.entities.name");
        assertThat(paged).containsExactly("root", "child b");
    }
}
