package dev.bulklinks.link;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST .../links answers each of the contract's checks with its own status. */
@QuarkusTest
class SingleLinkTest {

    String project;
    String folderA;
    String folderB;
    String version;

    @BeforeEach
    void setUp() {
        project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        folderA = Api.entity(project, "folder", "a");
        folderB = Api.entity(project, "folder", "b");
        version = Api.entity(project, "version", "v001");
    }

    private ValidatableResponse create(Map<String, ?> body) {
        return json().body(body).post("/api/p/{p}/links", project).then();
    }

    private static void refused(ValidatableResponse response, int status, int code, String message) {
        response.statusCode(status).body("success", equalTo(false)).body("result.code", equalTo(code))
                .body("result.message", containsString(message)).body("data", equalTo(Map.of()));
    }

    @Test
    void dataNumbersComeBackAsSent() {
        String body = "{\"input\": \"" + folderA + "\", \"output\": \"" + folderB + "\", \"linkType\": \"" + BREAKDOWN
                + "\", \"data\": {\"price\": 12345678901234567.25, \"ratio\": 1.50, \"big\": 98765432109876543210}}";
        String id = json().body(body).post("/api/p/{p}/links", project).then().statusCode(201).extract().path("result.id");
        String answer = json().get("/api/p/{p}/links/{id}", project, id).then().statusCode(200).extract().asString();
        assertThat(answer).contains("\"price\":12345678901234567.25", "\"ratio\":1.50",
                "\"big\":98765432109876543210");
    }

    @Test
    void typeMissingIs400() {
        refused(create(Map.of("input", folderA, "output", folderB)), 400, 400, "linkType is required");
    }

    @Test
    void typeWithoutThreePartsIs400() {
        refused(create(link(folderA, folderB, "breakdown|folder")), 400, 400, "name|input_type|output_type");
        refused(create(link(folderA, folderB, "breakdown|folder|folder|x")), 400, 400, "name|input_type|output_type");
        refused(create(link(folderA, folderB, "x'; DROP TABLE link;--|folder|folder")), 400, 400,
                "name|input_type|output_type");
    }

    @Test
    void linkAndLinkTypeTogetherMustAgree() {
        Map<String, Object> body = new HashMap<>(link(folderA, folderB, BREAKDOWN));
        body.put("link", "reference|folder|folder");
        refused(create(body), 400, 400, "link and linkType are both given, with different values"
                + " ('reference|folder|folder' and '" + BREAKDOWN + "'); send linkType alone");
        json().get("/api/p/{p}/links?input={i}", project, folderA).then().body("result.links", equalTo(java.util.List.of()));

        body.put("link", BREAKDOWN);
        String id = create(body).statusCode(201).extract().path("result.id");
        json().get("/api/p/{p}/links/{id}", project, id).then().body("result.linkType", equalTo(BREAKDOWN));
    }

    @Test
    void entityLinkedToItselfIs400() {
        refused(create(link(folderA, folderA, BREAKDOWN)), 400, 400, "to itself");
    }

    @Test
    void missingEntityIs404NamingIt() {
        String missing = UUID.randomUUID().toString();
        refused(create(link(missing, folderB, BREAKDOWN)), 404, 404, "Input entity " + missing + " not found");
        refused(create(link(folderA, missing, BREAKDOWN)), 404, 404, "Output entity " + missing + " not found");
    }

    @Test
    void entityTypesNotMatchingTheLinkTypeIs422() {
        refused(create(link(version, folderB, BREAKDOWN)), 422, 1001, "is a 'version'");
        refused(create(link(folderA, version, BREAKDOWN)), 422, 1001, "is a 'version'");
    }

    @Test
    void unregisteredTypeIs422() {
        refused(create(link(folderA, folderB, "reference|folder|folder")), 422, 1001, "not registered");
    }

    @Test
    void idTakenIs409() {
        String id = UUID.randomUUID().toString();
        Map<String, Object> body = new HashMap<>(link(folderA, folderB, BREAKDOWN));
        body.put("id", id);
        create(body).statusCode(201).body("result.id", equalTo(id));
        refused(create(body), 409, 409, "already taken");
    }

    @Test
    void malformedIdsAre400() {
        refused(create(link("nope", folderB, BREAKDOWN)), 400, 400, "input: 'nope' is not an id");
        Map<String, Object> body = new HashMap<>(link(folderA, folderB, BREAKDOWN));
        body.put("id", "12345");
        refused(create(body), 400, 400, "id: '12345' is not an id");
    }

    @Test
    void createdLinkCanBeReadListedAndDeleted() {
        Map<String, Object> body = new HashMap<>(Map.of("input", folderA.replace("-", ""), "output", folderB,
                "link", BREAKDOWN, "data", Map.of("occurrence", 2), "name", "main"));
        ValidatableResponse created = create(body).statusCode(201);
        String id = created.extract().path("result.id");
        created.header("Location", endsWith("/api/p/" + project + "/links/" + id));

        json().get("/api/p/{p}/links/{id}", project, id).then().statusCode(200)
                .body("result.input", equalTo(folderA)).body("result.output", equalTo(folderB))
                .body("result.linkType", equalTo(BREAKDOWN)).body("result.data.occurrence", equalTo(2))
                .body("result.name", equalTo("main"));
        json().get("/api/p/{p}/links?output={o}&type={t}", project, folderB, BREAKDOWN).then().statusCode(200)
                .body("result.links.id", hasItem(id));

        json().delete("/api/p/{p}/links/{id}", project, id).then().statusCode(200);
        refused(json().get("/api/p/{p}/links/{id}", project, id).then(), 404, 404, "not found");
        refused(json().delete("/api/p/{p}/links/{id}", project, id).then(), 404, 404, "not found");
    }

    @Test
    void deletingATypeDeletesItsLinks() {
        String id = create(link(folderA, folderB, BREAKDOWN)).statusCode(201).extract().path("result.id");
        json().delete("/api/p/{p}/links/types/{t}", project, BREAKDOWN).then().statusCode(200)
                .body("result.links_deleted", equalTo(1));
        refused(json().get("/api/p/{p}/links/{id}", project, id).then(), 404, 404, "not found");
        json().get("/api/p/{p}/links/types", project).then().body("result.types", equalTo(java.util.List.of()));
    }

    @Test
    void linksOfAnotherProjectAreNotFound() {
        String id = create(link(folderA, folderB, BREAKDOWN)).statusCode(201).extract().path("result.id");
        String other = Api.newProject();
        refused(json().get("/api/p/{p}/links/{id}", other, id).then(), 404, 404, "not found");
    }
}
