package dev.bulklinks.link;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** lookupKey: sourceId finds the ends by their source keys; an unknown key fails only its item, naming it. */
@QuarkusTest
class SourceKeyTest {

    String project;
    List<String> ids;

    @BeforeEach
    void setUp() {
        project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        List<Map<String, Object>> entities = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            entities.add(Map.of("type", "folder", "name", "customer " + i, "source", "erp", "sourceId", "c-" + i));
        }
        String token = Api.submit(project, "/entities/bulk", Map.of("entities", entities));
        Api.awaitFinal(project, token);
        ids = json().get("/api/p/{p}/jobs/{t}/results", project, token).then().extract().path("result.items.id");
    }

    private static Map<String, Object> key(String sourceId) {
        return Map.of("source", "erp", "sourceId", sourceId);
    }

    private JsonPath run(String token) {
        JsonPath job = Api.awaitFinal(project, token);
        assertThat(job.getString("status")).isEqualTo("done");
        return json().get("/api/p/{p}/jobs/{t}/results?limit=1000", project, token).then().statusCode(200).extract().jsonPath()
                .setRootPath("result");
    }

    @Test
    void endsAreFoundBySourceKeyAndUnknownKeysFailTheirItemOnly() {
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            String output = i == 120 ? "c-19815" : "c-" + ((i + 1) % 5);
            links.add(Map.of("input", key("c-" + (i % 5)), "output", key(output), "linkType", BREAKDOWN));
        }
        links.add(Map.of("input", key("c-0"), "output", ids.get(3), "linkType", BREAKDOWN));

        JsonPath results = run(Api.submit(project, "/links/bulk", Map.of("links", links, "lookupKey", "sourceId")));

        assertThat(results.getInt("total")).isEqualTo(251);
        assertThat(results.getBoolean("items[120].success")).isFalse();
        assertThat(results.getInt("items[120].error.code")).isEqualTo(404);
        assertThat(results.getString("items[120].error.message"))
                .isEqualTo("Output entity with source [erp] sourceId [c-19815] not found.");
        assertThat(results.getList("items.success")).filteredOn(s -> s.equals(false)).hasSize(1);
        JsonPath first = json().get("/api/p/{p}/links/{id}", project, results.getString("items[0].id")).then()
                .statusCode(200).extract().jsonPath().setRootPath("result");
        assertThat(first.getString("input")).isEqualTo(ids.get(0));
        assertThat(first.getString("output")).isEqualTo(ids.get(1));
        assertThat(results.getBoolean("items[250].success")).as("an id still names an entity").isTrue();
    }

    @Test
    void ndjsonTakesTheLookupKeyAsAQueryParameter() {
        String body = "{\"input\":{\"source\":\"erp\",\"sourceId\":\"c-1\"},\"output\":{\"source\":\"erp\",\"sourceId\":\"c-2\"},"
                + "\"linkType\":\"" + BREAKDOWN + "\"}\n";
        String token = Api.ndjson().queryParam("lookupKey", "sourceId").body(body).post("/api/p/{p}/links/bulk", project)
                .then().statusCode(202).extract().path("result.'job.token'");
        assertThat(run(token).getBoolean("items[0].success")).isTrue();
    }

    @Test
    void sourceKeysNeedTheLookupKeyOption() {
        List<Map<String, Object>> links = List.of(Map.of("input", key("c-1"), "output", key("c-2"), "linkType", BREAKDOWN));
        JsonPath results = run(Api.submit(project, "/links/bulk", Map.of("links", links)));
        assertThat(results.getInt("items[0].error.code")).isEqualTo(400);
        assertThat(results.getString("items[0].error.message")).contains("send lookupKey \"sourceId\"");
    }
}
