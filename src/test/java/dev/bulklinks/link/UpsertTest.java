package dev.bulklinks.link;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** mode: upsert updates the link an item names, by id (SAS) or by ends and type (Propeller), else creates it. */
@QuarkusTest
class UpsertTest {

    String project;
    List<String> folders;

    @BeforeEach
    void setUp() {
        project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        folders = Api.entities(project, "folder", 20);
    }

    private static Map<String, Object> item(String input, String output, Map<String, Object> extra) {
        Map<String, Object> item = new HashMap<>(link(input, output, BREAKDOWN));
        item.putAll(extra);
        return item;
    }

    private JsonPath results(String token) {
        return json().get("/api/p/{p}/jobs/{t}/results?limit=1000", project, token).then().statusCode(200).extract()
                .jsonPath().setRootPath("result");
    }

    private JsonPath upsert(List<Map<String, Object>> items) {
        String token = Api.submit(project, "/links/bulk", Map.of("links", items, "mode", "upsert"));
        JsonPath job = Api.awaitFinal(project, token);
        assertThat(job.getString("status")).isEqualTo("done");
        assertThat(job.getString("options.mode")).isEqualTo("upsert");
        return results(token);
    }

    private JsonPath stored(String id) {
        return json().get("/api/p/{p}/links/{id}", project, id).then().statusCode(200).extract().jsonPath()
                .setRootPath("result");
    }

    private List<Map<String, Object>> linksFrom(String input) {
        return json().queryParam("input", input).queryParam("limit", 1000).get("/api/p/{p}/links", project).then()
                .statusCode(200).extract().jsonPath().getList("result.links");
    }

    @Test
    void itemWithAnIdUpdatesThatLinkOrCreatesIt() {
        String a = folders.get(0);
        String b = folders.get(1);
        String c = folders.get(2);
        String existing = json().body(item(a, b, Map.of("data", Map.of("v", 1), "name", "first", "position", 3)))
                .post("/api/p/{p}/links", project).then().statusCode(201).extract().path("result.id");
        String fresh = UUID.randomUUID().toString();

        JsonPath results = upsert(List.of(
                item(a, c, Map.of("id", existing, "data", Map.of("v", 2))),
                item(b, c, Map.of("id", fresh))));

        assertThat(results.getList("items.operation")).containsExactly("UPDATE", "CREATE");
        assertThat(results.getList("items.id")).containsExactly(existing, fresh);
        JsonPath updated = stored(existing);
        assertThat(updated.getString("output")).as("ends follow the item").isEqualTo(c);
        assertThat(updated.getMap("data")).isEqualTo(Map.of("v", 2));
        assertThat(updated.getString("name")).as("fields not given are kept").isEqualTo("first");
        assertThat(updated.getInt("position")).isEqualTo(3);
        assertThat(stored(fresh).getString("input")).isEqualTo(b);
    }

    @Test
    void itemWithoutIdUpdatesTheLinkWithTheSameEndsAndType() {
        String a = folders.get(0);
        String b = folders.get(1);
        String c = folders.get(2);
        String existing = json().body(item(a, b, Map.of("data", Map.of("v", 1))))
                .post("/api/p/{p}/links", project).then().statusCode(201).extract().path("result.id");

        JsonPath results = upsert(List.of(
                item(a, b, Map.of("data", Map.of("v", 2))),
                item(a, c, Map.of("data", Map.of("v", 1))),
                item(a, c, Map.of("data", Map.of("v", 9))),
                item(b, c, Map.of("position", 5))));

        assertThat(results.getList("items.operation")).containsExactly("UPDATE", "CREATE", "UPDATE", "CREATE");
        assertThat(results.getString("items[0].id")).isEqualTo(existing);
        assertThat(results.getString("items[2].id")).as("the second A->C updates the first")
                .isEqualTo(results.getString("items[1].id"));
        assertThat(linksFrom(a)).hasSize(2);
        assertThat(stored(existing).getMap("data")).isEqualTo(Map.of("v", 2));
        assertThat(stored(results.getString("items[1].id")).getMap("data")).isEqualTo(Map.of("v", 9));
    }

    @Test
    void mixedCreatesAndUpdatesAcrossChunksComeBackInOrder() {
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < 20 && pairs.size() < 250; i++) {
            for (int j = 0; j < 20 && pairs.size() < 250; j++) {
                if (i != j) {
                    pairs.add(new int[] {i, j});
                }
            }
        }
        List<Map<String, Object>> first = new ArrayList<>();
        for (int[] pair : pairs.subList(0, 100)) {
            first.add(item(folders.get(pair[0]), folders.get(pair[1]), Map.of()));
        }
        String created = Api.submit(project, "/links/bulk", Map.of("links", first));
        Api.awaitFinal(project, created);
        List<Object> firstIds = results(created).getList("items.id");

        List<Map<String, Object>> second = new ArrayList<>();
        for (int[] pair : pairs.subList(50, 250)) {
            second.add(item(folders.get(pair[0]), folders.get(pair[1]), Map.of("data", Map.of("round", 2))));
        }
        JsonPath results = upsert(second);

        List<String> operations = results.getList("items.operation");
        assertThat(operations).hasSize(200);
        assertThat(operations.subList(0, 50)).containsOnly("UPDATE");
        assertThat(operations.subList(50, 200)).containsOnly("CREATE");
        assertThat(results.getList("items.id").subList(0, 50)).isEqualTo(firstIds.subList(50, 100));
        assertThat(results.getList("items.index", Integer.class)).isSorted().startsWith(0).endsWith(199);
        Set<String> ends = new HashSet<>();
        int total = 0;
        for (String folder : folders) {
            for (Map<String, Object> l : linksFrom(folder)) {
                ends.add(l.get("input") + ">" + l.get("output"));
                total++;
            }
        }
        assertThat(total).as("one link per pair").isEqualTo(250);
        assertThat(ends).hasSize(250);
    }
}
