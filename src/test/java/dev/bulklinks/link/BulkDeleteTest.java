package dev.bulklinks.link;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** links/bulk/delete deletes links by id as a job; an id that names no link fails its item. */
@QuarkusTest
class BulkDeleteTest {

    String project;
    String a;
    List<String> ids;

    @BeforeEach
    void setUp() {
        project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        a = Api.entity(project, "folder", "a");
        String b = Api.entity(project, "folder", "b");
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            links.add(link(a, b, BREAKDOWN));
        }
        String token = Api.submit(project, "/links/bulk", Map.of("links", links));
        Api.awaitFinal(project, token);
        ids = json().get("/api/p/{p}/jobs/{t}/results?limit=1000", project, token).then().extract().path("result.items.id");
    }

    private int remaining() {
        return json().queryParam("input", a).queryParam("limit", 1000).get("/api/p/{p}/links", project).then()
                .statusCode(200).extract().<List<Object>>path("result.links").size();
    }

    @Test
    void deletesEachNamedLinkAndFailsTheRest() {
        List<String> named = new ArrayList<>(ids.subList(0, 250));
        String unknown = UUID.randomUUID().toString();
        named.add(unknown);
        named.add("not-an-id");
        named.add(ids.get(201)); // named again in its own chunk (items 200 to 299, in chunks of 100)

        String token = Api.submit(project, "/links/bulk/delete", Map.of("ids", named));

        JsonPath job = Api.awaitFinal(project, token);
        assertThat(job.getString("job")).isEqualTo("bulk_delete_links");
        assertThat(job.getString("status")).isEqualTo("done");
        assertThat(job.getInt("info.succeeded")).isEqualTo(250);
        assertThat(job.getInt("info.failed")).isEqualTo(3);
        JsonPath results = json().get("/api/p/{p}/jobs/{t}/results?limit=1000", project, token).then().statusCode(200)
                .extract().jsonPath().setRootPath("result");
        assertThat(results.getList("items.operation").subList(0, 250)).containsOnly("DELETE");
        assertThat(results.getString("items[17].id")).isEqualTo(ids.get(17));
        assertThat(results.getInt("items[250].error.code")).isEqualTo(404);
        assertThat(results.getString("items[250].error.message")).isEqualTo("Link " + unknown + " not found.");
        assertThat(results.getInt("items[251].error.code")).isEqualTo(400);
        assertThat(results.getInt("items[252].error.code")).isEqualTo(409);
        assertThat(remaining()).isEqualTo(50);
        json().get("/api/p/{p}/links/{id}", project, ids.get(0)).then().statusCode(404);
    }

    @Test
    void atomicDeleteWithAnUnknownIdDeletesNothing() {
        List<String> named = new ArrayList<>(ids.subList(0, 150));
        named.add(UUID.randomUUID().toString());
        String token = Api.submit(project, "/links/bulk/delete", Map.of("ids", named, "atomic", true));

        JsonPath job = Api.awaitFinal(project, token);
        assertThat(job.getString("status")).isEqualTo("rejected");
        assertThat(remaining()).isEqualTo(300);
    }

    @Test
    void idsMustBeStrings() {
        json().body(Map.of("ids", List.of(ids.get(0), 5))).post("/api/p/{p}/links/bulk/delete", project).then()
                .statusCode(400).body("result.message", containsString("ids[1] must be a string"));
        json().body(Map.of("ids", Map.of())).post("/api/p/{p}/links/bulk/delete", project).then()
                .statusCode(400).body("result.message", containsString("ids must be an array of strings"));
        assertThat(remaining()).isEqualTo(300);
    }
}
