package dev.bulklinks.dialect.propeller;

import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Propeller's "Bulk Links by lookup key" ({@code ../shared/dialects.md}, section Propeller), sent as a
 * Propeller client sends it, and every field of Propeller's answers.
 */
@QuarkusTest
class PropellerDialectTest {

    private static final String ACCESSORIES = "accessories|product|product";

    String project;
    /** Products by their ERP key: 19815 the lamp, 20001 the bulb, 20002 the shade. */
    Map<String, String> ids = new HashMap<>();

    @BeforeEach
    void products() {
        project = Api.newProject();
        Api.registerType(project, ACCESSORIES);
        List<String> keys = List.of("19815", "20001", "20002");
        String token = Api.submit(project, "/entities/bulk", Map.of("entities", keys.stream()
                .map(key -> Map.of("type", "product", "name", "product " + key, "source", "erp", "sourceId", key))
                .toList()));
        assertThat(Api.awaitFinal(project, token).getString("status")).isEqualTo("done");
        List<String> made = json().get("/api/p/{p}/jobs/{t}/results", project, token).then().statusCode(200).extract()
                .path("result.items.id");
        for (int i = 0; i < keys.size(); i++) {
            ids.put(keys.get(i), made.get(i));
        }
    }

    private static Map<String, Object> bySource(String cls, String sourceId) {
        return Map.of("class", cls, "source", "erp", "sourceId", sourceId);
    }

    private static Map<String, Object> link(Map<String, Object> from, Map<String, Object> to, Map<String, Object> more) {
        Map<String, Object> link = new HashMap<>(more);
        link.put("type", "accessories");
        link.put("from", from);
        link.put("to", to);
        return link;
    }

    private Response bulk(String lookupKey, Object body) {
        return json().body(body).post("/propeller/p/{p}/links/bulk/{k}", project, lookupKey);
    }

    private JsonPath stored(String id) {
        return json().get("/api/p/{p}/links/{id}", project, id).then().statusCode(200).extract().jsonPath()
                .setRootPath("result");
    }

    @Test
    void bySourceIdALinkIsCreatedThenUpdatedInPlaceAndAnUnknownKeyFailsOnlyItsLink() {
        Map<String, Object> lamp = new HashMap<>(bySource("product", "19815"));
        lamp.put("language", "EN");
        Map<String, Object> first = link(lamp, bySource("product", "20001"),
                Map.of("subtype", "optional", "priority", 1, "isDefault", true));
        Map<String, Object> unknown = link(bySource("product", "19815"), bySource("product", "99999"), Map.of());
        Map<String, Object> second = link(bySource("product", "19815"), bySource("product", "20002"), Map.of());

        JsonPath answer = bulk("sourceId", Map.of("links", List.of(first, unknown, second))).then().statusCode(200)
                .contentType("application/json").extract().jsonPath();

        assertThat(answer.getMap("")).containsOnlyKeys("data", "messages", "total");
        assertThat(answer.getList("messages")).containsExactly("Completed");
        assertThat(answer.getInt("total")).isEqualTo(3);
        List<Map<String, Object>> data = answer.getList("data");
        String id = (String) data.get(0).get("id");
        assertThat(data.get(0)).isEqualTo(Map.of("success", true, "id", id, "lookupKey", "sourceId", "from", lamp,
                "to", bySource("product", "20001")));
        assertThat(data.get(1)).isEqualTo(Map.of("success", false,
                "error", "Product with source [erp] and sourceId [99999] not found", "lookupKey", "sourceId",
                "from", bySource("product", "19815"), "to", bySource("product", "99999")));
        assertThat(data.get(2)).containsEntry("success", true).containsEntry("lookupKey", "sourceId");
        JsonPath link = stored(id);
        assertThat(link.getString("input")).isEqualTo(ids.get("19815"));
        assertThat(link.getString("output")).isEqualTo(ids.get("20001"));
        assertThat(link.getString("linkType")).isEqualTo(ACCESSORIES);
        assertThat(link.getInt("position")).isEqualTo(1);
        assertThat(link.getMap("data")).isEqualTo(Map.of("subtype", "optional", "isDefault", true));

        // The same ends and type again: that link is updated, no second one made.
        JsonPath again = bulk("sourceId", Map.of("links", List.of(link(bySource("product", "19815"),
                bySource("product", "20001"), Map.of("priority", 5, "isActive", false))))).then().statusCode(200)
                .extract().jsonPath();

        assertThat(again.getMap("data[0]")).isEqualTo(Map.of("success", true, "id", id, "lookupKey", "sourceId",
                "from", bySource("product", "19815"), "to", bySource("product", "20001")));
        assertThat(again.getInt("total")).isEqualTo(1);
        assertThat(stored(id).getInt("position")).isEqualTo(5);
        assertThat(stored(id).getMap("data")).containsEntry("isActive", false);
        assertThat(json().get("/api/p/{p}/links?input={i}&output={o}", project, ids.get("19815"), ids.get("20001"))
                .then().statusCode(200).extract().<List<String>>path("result.links.id")).containsExactly(id);
    }

    @Test
    void byIdALinkIsWrittenAndAnUnknownIdFailsOnlyItsLinkInPropellersWords() {
        Map<String, Object> lamp = Map.of("class", "product", "id", ids.get("19815"));
        Map<String, Object> bulb = Map.of("class", "product", "id", ids.get("20001"));
        Map<String, Object> customer = Map.of("class", "customer", "id", 19815);

        JsonPath answer = bulk("id", Map.of("links", List.of(link(customer, bulb, Map.of()),
                link(lamp, bulb, Map.of("isActive", true))))).then().statusCode(200).extract().jsonPath();

        assertThat(answer.getInt("total")).isEqualTo(2);
        assertThat(answer.getList("messages")).containsExactly("Completed");
        assertThat(answer.getMap("data[0]")).isEqualTo(Map.of("success", false,
                "error", "Customer with id [19815] not found", "lookupKey", "id", "from", customer, "to", bulb));
        String id = answer.getString("data[1].id");
        assertThat(answer.getMap("data[1]")).isEqualTo(Map.of("success", true, "id", id, "lookupKey", "id",
                "from", lamp, "to", bulb));
        assertThat(stored(id).getString("input")).isEqualTo(ids.get("19815"));
        assertThat(stored(id).getString("output")).isEqualTo(ids.get("20001"));
    }

    @Test
    void respondAsyncAnswers202WithTheJobToFollowWithTheNativeApi() {
        Response accepted = json().header("Prefer", "respond-async")
                .body(Map.of("links", List.of(link(bySource("product", "19815"), bySource("product", "20002"), Map.of()))))
                .post("/propeller/p/{p}/links/bulk/sourceId", project);

        accepted.then().statusCode(202).header("Preference-Applied", "respond-async");
        String token = accepted.path("result.'job.token'");
        assertThat(accepted.getHeader("Location")).endsWith("/api/p/" + project + "/jobs/" + token);
        assertThat(Api.awaitFinal(project, token).getString("status")).isEqualTo("done");
        assertThat(json().get(accepted.getHeader("Location") + "/results").then().statusCode(200).extract()
                .<List<String>>path("result.items.operation")).containsExactly("CREATE");
    }

    @Test
    void errorsOfTheWholeRequestComeInPropellersShape() {
        JsonPath lookup = bulk("sku", Map.of("links", List.of())).then().statusCode(400).contentType("application/json")
                .extract().jsonPath();
        assertThat(lookup.getMap("")).containsOnlyKeys("error");
        assertThat(lookup.getMap("error")).isEqualTo(Map.of("code", 400, "status", 400, "type", "BadRequest",
                "messages", List.of("The lookup key must be id or sourceId: POST .../links/bulk/id or .../links/bulk/sourceId.")));

        JsonPath noLinks = bulk("id", Map.of("items", List.of())).then().statusCode(400).extract().jsonPath();
        assertThat(noLinks.getString("error.messages[0]")).startsWith("links is required");

        JsonPath anonymous = json().header(SignedIn.ANONYMOUS, "1").body(Map.of("links", List.of()))
                .post("/propeller/p/{p}/links/bulk/id", project).then().statusCode(401).extract().jsonPath();
        assertThat(anonymous.getInt("error.status")).isEqualTo(401);
        assertThat(anonymous.getString("error.type")).isEqualTo("Unauthorized");

        Api.Member stranger = Api.member("propeller", Api.newProject(), Map.of());
        JsonPath forbidden = json().header("Authorization", stranger.bearer()).body(Map.of("links", List.of()))
                .post("/propeller/p/{p}/links/bulk/id", project).then().statusCode(403).extract().jsonPath();
        assertThat(forbidden.getString("error.messages[0]")).contains("not a member of project '" + project + "'");
    }
}
