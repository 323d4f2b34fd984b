package dev.bulklinks.records;

import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A whole catalogue in one entity job, then linked with a Unicat selection: children may come
 * before their parents within a chunk, and parents may sit in earlier chunks that parallel workers
 * have not committed yet.
 */
@QuarkusTest
class CatalogueImportTest {

    @Test
    void catalogueImportedInOneJobThenLinkedByChildren() {
        String project = Api.newProject();
        Api.registerType(project, "accessories|product|product");
        List<Map<String, Object>> items = new ArrayList<>();
        List<String> categories = new ArrayList<>();
        // Chunk 0 (items 0 to 99): each category's first product comes before the category itself.
        for (int c = 0; c < 50; c++) {
            String category = UUID.randomUUID().toString();
            categories.add(category);
            items.add(Map.of("id", UUID.randomUUID().toString(), "type", "product", "name", "c" + c + " p0",
                    "parent", category));
            items.add(Map.of("id", category, "type", "category", "name", "category " + c));
        }
        // Chunks 1 to 9: the other products, each under a category of chunk 0.
        for (int i = 0; i < 900; i++) {
            int c = i % 50;
            items.add(Map.of("type", "product", "name", "c" + c + " p" + (1 + i / 50), "parent", categories.get(c),
                    "source", "erp", "sourceId", "sku-" + i));
        }
        String token = Api.submit(project, "/entities/bulk", Map.of("entities", items));

        JsonPath job = Api.awaitFinal(project, token);
        assertThat(job.getString("status")).isEqualTo("done");
        assertThat(job.getInt("info.succeeded")).as("every item, whatever order the chunks ran in").isEqualTo(1000);
        List<String> children = json().queryParam("parent", categories.get(7)).queryParam("limit", 1000)
                .get("/api/p/{p}/entities", project).then().statusCode(200).extract().path("result.entities.name");
        assertThat(children).hasSize(19).startsWith("c7 p0", "c7 p1", "c7 p2");

        String desk = Api.entity(project, "product", "desk");
        String link = json().body(Map.of("parent", desk, "linkType", "accessories|product|product",
                        "selection", List.of(Map.of("children", categories.get(7)))))
                .post("/api/p/{p}/records/bulk/link", project).then().statusCode(202).extract().path("result.'job.token'");
        JsonPath linked = Api.awaitFinal(project, link);
        assertThat(linked.getString("status")).isEqualTo("done");
        assertThat(linked.getInt("info.succeeded")).isEqualTo(19);
    }
}
