package dev.bulklinks.records;

import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Unicat's bulk link: a parent product linked to a selection of ids, children and searches, with
 * exclusions, placed after its links or before a given one; bad selections answer code 1006.
 */
@QuarkusTest
class RecordBulkLinkTest {

    static final String ACCESSORIES = "accessories|product|product";

    String project;
    String category;
    String parent;
    /** Chairs 0 to 9, children of the category, in that order; even ones red, odd ones blue. */
    List<String> chairs = new ArrayList<>();
    /** Three tables outside the category. */
    List<String> tables = new ArrayList<>();

    @BeforeEach
    void setUp() {
        project = Api.newProject();
        Api.registerType(project, ACCESSORIES);
        category = Api.entity(project, "category", "seating");
        parent = Api.entity(project, "product", "desk");
        for (int i = 0; i < 10; i++) {
            chairs.add(entity("chair " + i, category, Map.of("color", i % 2 == 0 ? "red" : "blue")));
        }
        for (int i = 0; i < 3; i++) {
            tables.add(entity("table " + (char) ('c' - i), null, Map.of("color", "red")));
        }
    }

    private String entity(String name, String parentId, Map<String, Object> data) {
        Map<String, Object> body = new HashMap<>(Map.of("type", "product", "name", name, "data", data));
        if (parentId != null) {
            body.put("parent", parentId);
        }
        return json().body(body).post("/api/p/{p}/entities", project).then().statusCode(201).extract().path("result.id");
    }

    private JsonPath run(Map<String, Object> request) {
        String token = json().body(request).post("/api/p/{p}/records/bulk/link", project).then().statusCode(202)
                .extract().path("result.'job.token'");
        return Api.awaitFinal(project, token);
    }

    private Map<String, Object> request(List<Object> selection, Map<String, Object> more) {
        Map<String, Object> request = new HashMap<>(Map.of("parent", parent, "selection", selection, "linkType", ACCESSORIES));
        request.putAll(more);
        return request;
    }

    private List<String> linked() {
        return json().queryParam("input", parent).queryParam("limit", 1000).get("/api/p/{p}/links", project).then()
                .statusCode(200).extract().path("result.links.output");
    }

    private JsonPath results(JsonPath job) {
        return json().get("/api/p/{p}/jobs/{t}/results?limit=1000", project, job.getString("'job.token'")).then()
                .statusCode(200).extract().jsonPath().setRootPath("result");
    }

    @Test
    void idsChildrenAndExclusionsAreLinkedOnceInSelectionOrder() {
        List<Object> selection = List.of(tables.get(0), Map.of("children", category, "exclude", List.of(chairs.get(3))),
                tables.get(0), chairs.get(1));

        JsonPath job = run(request(selection, Map.of()));

        assertThat(job.getString("status")).isEqualTo("done");
        assertThat(job.getString("job")).isEqualTo("bulk_link_records");
        assertThat(job.getInt("info.total")).isEqualTo(10);
        assertThat(job.getInt("info.succeeded")).isEqualTo(10);
        List<String> expected = new ArrayList<>(List.of(tables.get(0)));
        chairs.stream().filter(c -> !c.equals(chairs.get(3))).forEach(expected::add);
        assertThat(linked()).containsExactlyElementsOf(expected);
        assertThat(results(job).getList("items.operation")).hasSize(10).containsOnly("CREATE");
    }

    @Test
    void searchByNameAndFilters() {
        JsonPath red = run(request(List.of(Map.of("search", Map.of("q", "CHAIR", "filter", List.of("data.color", "=", "red")),
                "exclude", List.of(chairs.get(0)))), Map.of()));
        assertThat(red.getInt("info.succeeded")).isEqualTo(4);
        assertThat(linked()).containsExactly(chairs.get(2), chairs.get(4), chairs.get(6), chairs.get(8));

        run(request(List.of(Map.of("search", Map.of("filter", List.of(List.of("name", "in", List.of("table a", "table c")),
                List.of("type", "!=", "category"))))), Map.of()));
        assertThat(linked()).endsWith(tables.get(0), tables.get(2));

        JsonPath has = run(request(List.of(Map.of("search", Map.of("filter", List.of("name", "has", "LE B")))), Map.of()));
        assertThat(has.getInt("info.total")).isEqualTo(1);
        assertThat(linked()).last().isEqualTo(tables.get(1));
    }

    @Test
    void newLinksGoBeforeTheRecordNamedOrLast() {
        run(request(List.of(chairs.get(0), chairs.get(1), chairs.get(2)), Map.of()));

        run(request(List.of(tables.get(0), tables.get(1)), Map.of("before_record", chairs.get(1))));
        assertThat(linked()).containsExactly(chairs.get(0), tables.get(0), tables.get(1), chairs.get(1), chairs.get(2));

        run(request(List.of(chairs.get(5)), Map.of()));
        assertThat(linked()).last().isEqualTo(chairs.get(5));
    }

    @Test
    void orderingByName() {
        run(request(List.of(tables.get(0), tables.get(1), tables.get(2)), Map.of("ordering", "name")));
        assertThat(linked()).containsExactly(tables.get(2), tables.get(1), tables.get(0));
    }

    @Test
    void aSelectedRecordThatDoesNotExistFailsAlone() {
        String missing = UUID.randomUUID().toString();
        JsonPath job = run(request(List.of(chairs.get(0), missing, chairs.get(1)), Map.of()));
        assertThat(job.getString("status")).isEqualTo("done");
        JsonPath results = results(job);
        assertThat(results.getList("items.success")).containsExactly(true, false, true);
        assertThat(results.getInt("items[1].error.code")).isEqualTo(404);
        assertThat(results.getString("items[1].error.message")).contains(missing);
    }

    @Test
    void selectionsThatCannotBeReadAre422With1006() {
        List<Object> bad = List.of(
                "not a list",
                List.of(),
                List.of("123"),
                List.of(5),
                List.of(Map.of("children", "nope")),
                List.of(Map.of("children", category, "exclude", "x")),
                List.of(Map.of("search", Map.of("filter", List.of("price", "=", "3")))),
                List.of(Map.of("search", Map.of("filter", List.of("name", "like", "x")))),
                List.of(Map.of("search", Map.of("filter", List.of("name", "in", "x")))),
                List.of(Map.of("search", Map.of())),
                List.of(Map.of("search", Map.of("q", "x"), "limit", 3)));
        for (Object selection : bad) {
            json().body(Map.of("parent", parent, "selection", selection, "linkType", ACCESSORIES))
                    .post("/api/p/{p}/records/bulk/link", project).then()
                    .statusCode(422).body("success", equalTo(false)).body("result.code", equalTo(1006));
        }
        json().body(Map.of("parent", "x", "selection", List.of(chairs.get(0)), "linkType", ACCESSORIES))
                .post("/api/p/{p}/records/bulk/link", project).then().statusCode(400)
                .body("result.message", containsString("parent"));
        assertThat(json().get("/api/p/{p}/jobs", project).then().extract().<List<String>>path("result.jobs.job"))
                .doesNotContain("bulk_link_records");
    }

    @Test
    void aSelectionThatFailsWhileTheJobRunsRejectsItWith1006() {
        String gone = UUID.randomUUID().toString();
        JsonPath job = run(request(List.of(chairs.get(0), Map.of("children", gone)), Map.of()));
        assertThat(job.getString("status")).isEqualTo("rejected");
        assertThat(job.getInt("error.code")).isEqualTo(1006);
        assertThat(job.getString("error.message")).contains(gone);
        assertThat(linked()).isEmpty();

        JsonPath notLinked = run(request(List.of(chairs.get(0)), Map.of("before_record", tables.get(0))));
        assertThat(notLinked.getString("status")).isEqualTo("rejected");
        assertThat(notLinked.getInt("error.code")).isEqualTo(1006);
        assertThat(linked()).isEmpty();
    }
}
