package dev.bulklinks.dialect.sas;

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
 * SAS Visual Investigator's "Bulk Create and Update links" ({@code ../shared/dialects.md}, section SAS),
 * sent as a SAS client sends it, and every field of SAS's answers.
 */
@QuarkusTest
class SasDialectTest {

    private static final String OWNS = "owns|person|vehicle";
    private static final String MISSING = "00000000-0000-4000-8000-000000000000";

    String project;
    String person;
    String car;
    String van;

    @BeforeEach
    void entities() {
        project = Api.newProject();
        Api.registerType(project, OWNS);
        person = Api.entity(project, "person", "Ann");
        car = Api.entity(project, "vehicle", "car");
        van = Api.entity(project, "vehicle", "van");
    }

    private static Map<String, Object> item(String fromId, String toId) {
        Map<String, Object> item = new HashMap<>();
        item.put("relationshipTypeName", "owns");
        item.put("fromEntityType", "person");
        item.put("fromId", fromId);
        item.put("toEntityType", "vehicle");
        item.put("toId", toId);
        return item;
    }

    private Response bulk(Object body) {
        return json().body(body).post("/sas/p/{p}/links/bulk", project);
    }

    private static Map<String, Object> linkAnswer(String id, String fromId, String toId, String operation) {
        return Map.of("id", id, "relationshipTypeName", "owns", "fromId", fromId, "fromEntityType", "person",
                "toId", toId, "toEntityType", "vehicle", "operation", operation);
    }

    @Test
    void itemsAreCreatedAndAnItemErrorCarriesItsHttpStatusCodeInInputOrder() {
        Map<String, Object> broken = item(person, car);
        broken.remove("toId");

        JsonPath answer = bulk(Map.of("items", List.of(item(person, car), item(MISSING, car), broken, item(person, van))))
                .then().statusCode(200).contentType("application/json").extract().jsonPath();

        assertThat(answer.getMap("")).containsOnlyKeys("name", "count", "items", "links", "version");
        assertThat(answer.getString("name")).isEqualTo("links");
        assertThat(answer.getInt("count")).isEqualTo(4);
        assertThat(answer.getList("links")).isEmpty();
        assertThat(answer.getInt("version")).isEqualTo(2);
        List<Map<String, Object>> items = answer.getList("items");
        assertThat(items).hasSize(4);
        String first = (String) items.get(0).get("id");
        String last = (String) items.get(3).get("id");
        assertThat(items.get(0)).isEqualTo(linkAnswer(first, person, car, "CREATE"));
        assertThat(items.get(1)).isEqualTo(Map.of("error", Map.of("errorCode", 404,
                "message", "From entity " + MISSING + " not found.",
                "details", List.of("From Entity Type: person", "From Entity ID: " + MISSING, "To Entity Type: vehicle",
                        "To Entity ID: " + car, "Relationship Type: owns"),
                "httpStatusCode", 404, "version", 2)));
        assertThat(items.get(2)).isEqualTo(Map.of("error", Map.of("errorCode", 400,
                "message", "toId is required: a non-empty string.",
                "details", List.of("From Entity Type: person", "From Entity ID: " + person, "To Entity Type: vehicle",
                        "Relationship Type: owns"),
                "httpStatusCode", 400, "version", 2)));
        assertThat(items.get(3)).isEqualTo(linkAnswer(last, person, van, "CREATE"));

        // The same rows the native API lists.
        JsonPath stored = json().get("/api/p/{p}/links/{id}", project, first).then().statusCode(200).extract()
                .jsonPath().setRootPath("result");
        assertThat(stored.getString("input")).isEqualTo(person);
        assertThat(stored.getString("output")).isEqualTo(car);
        assertThat(stored.getString("linkType")).isEqualTo(OWNS);
        assertThat(json().get("/api/p/{p}/links?input={i}", project, person).then().statusCode(200).extract()
                .<List<String>>path("result.links.id")).containsExactlyInAnyOrder(first, last);
    }

    @Test
    void anItemWithAnIdUpdatesThatLink() {
        String id = bulk(Map.of("items", List.of(item(person, car)))).then().statusCode(200).extract()
                .path("items[0].id");
        Map<String, Object> update = item(person, van);
        update.put("id", id);

        JsonPath answer = bulk(Map.of("items", List.of(update))).then().statusCode(200).extract().jsonPath();

        assertThat(answer.getInt("count")).isEqualTo(1);
        assertThat(answer.getMap("items[0]")).isEqualTo(linkAnswer(id, person, van, "UPDATE"));
        assertThat(json().get("/api/p/{p}/links/{id}", project, id).then().statusCode(200).extract()
                .<String>path("result.output")).isEqualTo(van);
        assertThat(json().get("/api/p/{p}/links?input={i}", project, person).then().statusCode(200).extract()
                .<List<String>>path("result.links.id")).containsExactly(id);
    }

    @Test
    void respondAsyncAnswers202WithTheJobToFollowWithTheNativeApi() {
        Response accepted = json().header("Prefer", "respond-async").body(Map.of("items", List.of(item(person, car),
                item(person, MISSING)))).post("/sas/p/{p}/links/bulk", project);

        accepted.then().statusCode(202).header("Preference-Applied", "respond-async");
        String token = accepted.path("result.'job.token'");
        assertThat(accepted.getHeader("Location")).endsWith("/api/p/" + project + "/jobs/" + token);
        JsonPath job = Api.awaitFinal(project, token);
        assertThat(job.getString("status")).isEqualTo("done");
        assertThat(job.getInt("info.succeeded")).isEqualTo(1);
        assertThat(job.getInt("info.failed")).isEqualTo(1);
        assertThat(json().get(accepted.getHeader("Location") + "/results").then().statusCode(200).extract()
                .<List<String>>path("result.items.operation")).containsExactly("CREATE", null);
    }

    @Test
    void errorsOfTheWholeRequestComeAsSasErrorObjects() {
        JsonPath noItems = bulk(Map.of("links", List.of())).then().statusCode(400).contentType("application/json")
                .extract().jsonPath();
        assertThat(noItems.getMap("")).containsOnlyKeys("errorCode", "message", "details", "httpStatusCode", "version");
        assertThat(noItems.getInt("errorCode")).isEqualTo(400);
        assertThat(noItems.getString("message")).startsWith("items is required");
        assertThat(noItems.getList("details")).isEmpty();
        assertThat(noItems.getInt("httpStatusCode")).isEqualTo(400);
        assertThat(noItems.getInt("version")).isEqualTo(2);

        JsonPath malformed = json().body("{\"items\": [").post("/sas/p/{p}/links/bulk", project).then().statusCode(400)
                .extract().jsonPath();
        assertThat(malformed.getInt("httpStatusCode")).isEqualTo(400);
        assertThat(malformed.getString("message")).isNotBlank();

        Response anonymous = json().header(SignedIn.ANONYMOUS, "1").body(Map.of("items", List.of(item(person, car))))
                .post("/sas/p/{p}/links/bulk", project);
        anonymous.then().statusCode(401).header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
        assertThat(anonymous.jsonPath().getInt("httpStatusCode")).isEqualTo(401);
        assertThat(anonymous.jsonPath().getInt("errorCode")).isEqualTo(401);

        String other = Api.newProject();
        Api.Member stranger = Api.member("sas", other, Map.of());
        JsonPath forbidden = json().header("Authorization", stranger.bearer()).body(Map.of("items", List.of(item(person, car))))
                .post("/sas/p/{p}/links/bulk", project).then().statusCode(403).extract().jsonPath();
        assertThat(forbidden.getInt("httpStatusCode")).isEqualTo(403);
        assertThat(forbidden.getString("message")).contains("not a member of project '" + project + "'");

        JsonPath unknown = json().body(Map.of("items", List.of(item(person, car))))
                .post("/sas/p/{p}/links/bulk", "nosuchproject").then().statusCode(404).extract().jsonPath();
        assertThat(unknown.getInt("httpStatusCode")).isEqualTo(404);
        assertThat(unknown.getInt("version")).isEqualTo(2);
    }
}
