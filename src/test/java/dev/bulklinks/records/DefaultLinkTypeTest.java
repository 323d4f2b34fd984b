package dev.bulklinks.records;

import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * records/bulk/link with no linkType, as Unicat's client sends it: the project's default link type,
 * "link" unless set, makes each link's type from the entity types of its ends and registers it on
 * first use; a whole link type as default is used as is; no default is a 400 naming the fix.
 */
@QuarkusTest
class DefaultLinkTypeTest {

    String project;
    String desk;
    String chair;
    String lamp;
    String screw;

    @BeforeEach
    void setUp() {
        project = Api.newProject();
        desk = Api.entity(project, "product", "desk");
        chair = Api.entity(project, "product", "chair");
        lamp = Api.entity(project, "product", "lamp");
        screw = Api.entity(project, "part", "screw");
    }

    private JsonPath run(Map<String, Object> request) {
        String token = json().body(request).post("/api/p/{p}/records/bulk/link", project).then().statusCode(202)
                .extract().path("result.'job.token'");
        return Api.awaitFinal(project, token);
    }

    private static Map<String, Object> unicat(String parent, List<Object> selection, Map<String, Object> more) {
        Map<String, Object> request = new HashMap<>(Map.of("parent", parent, "selection", selection));
        request.putAll(more);
        return request;
    }

    private List<Map<String, Object>> links() {
        return json().queryParam("input", desk).queryParam("limit", 1000).get("/api/p/{p}/links", project).then()
                .statusCode(200).extract().path("result.links");
    }

    private List<String> registered() {
        return json().get("/api/p/{p}/links/types", project).then().statusCode(200).extract().path("result.types.name");
    }

    @Test
    void aNewProjectHasTheDefaultLinkAndItsTypesFollowTheRecords() {
        json().get("/api/projects/{p}", project).then().statusCode(200).body("result.default_link_type", equalTo("link"));
        assertThat(registered()).isEmpty();

        String missing = UUID.randomUUID().toString();
        JsonPath job = run(unicat(desk, List.of(chair, screw, missing, lamp), Map.of()));

        assertThat(job.getString("status")).isEqualTo("done");
        assertThat(job.getInt("info.succeeded")).isEqualTo(3);
        assertThat(job.getInt("info.failed")).isEqualTo(1);
        Map<Object, Object> types = new HashMap<>();
        links().forEach(l -> types.put(l.get("output"), l.get("linkType")));
        assertThat(types).isEqualTo(Map.of(chair, "link|product|product", lamp, "link|product|product",
                screw, "link|product|part"));
        assertThat(registered()).containsExactlyInAnyOrder("link|product|product", "link|product|part");
        JsonPath failed = json().get("/api/p/{p}/jobs/{t}/results?outcome=failed", project, job.getString("'job.token'"))
                .then().statusCode(200).extract().jsonPath();
        assertThat(failed.getInt("result.items[0].index")).isEqualTo(2);
        assertThat(failed.getInt("result.items[0].error.code")).isEqualTo(404);
        assertThat(failed.getString("result.items[0].error.message")).contains(missing);
    }

    @Test
    void linksOfEachTypeGoLastOrBeforeTheRecordNamed() {
        run(unicat(desk, List.of(chair, screw), Map.of()));
        String bolt = Api.entity(project, "part", "bolt");
        JsonPath job = run(unicat(desk, List.of(lamp, bolt), Map.of("before_record", chair)));
        assertThat(job.getString("status")).isEqualTo("done");
        // Positions order the links of one input and type: the lamp before the chair, the bolt after the screw.
        Map<String, Integer> positions = new HashMap<>();
        links().forEach(l -> positions.put((String) l.get("output"), (Integer) l.get("position")));
        assertThat(positions.get(lamp)).isLessThan(positions.get(chair));
        assertThat(positions.get(bolt)).isGreaterThan(positions.get(screw));

        JsonPath notLinked = run(unicat(desk, List.of(chair), Map.of("before_record", UUID.randomUUID().toString())));
        assertThat(notLinked.getString("status")).isEqualTo("rejected");
        assertThat(notLinked.getInt("error.code")).isEqualTo(1006);
    }

    @Test
    void aWholeLinkTypeAsDefaultIsUsedAsIs() {
        Api.registerType(project, "accessories|product|product");
        json().body(Map.of("default_link_type", "accessories|product|product")).patch("/api/projects/{p}", project)
                .then().statusCode(200).body("result.default_link_type", equalTo("accessories|product|product"));
        JsonPath job = run(unicat(desk, List.of(chair, screw), Map.of()));
        assertThat(job.getInt("info.succeeded")).isEqualTo(1);
        assertThat(links()).extracting(l -> l.get("linkType")).containsExactly("accessories|product|product");
        JsonPath failed = json().get("/api/p/{p}/jobs/{t}/results?outcome=failed", project, job.getString("'job.token'"))
                .then().extract().jsonPath();
        assertThat(failed.getInt("result.items[0].error.code")).isEqualTo(1001);

        // An explicit linkType still wins over the default.
        json().body(Map.of("default_link_type", "rel")).patch("/api/projects/{p}", project).then().statusCode(200);
        Api.registerType(project, "spare|product|part");
        run(unicat(desk, List.of(screw), Map.of("linkType", "spare|product|part")));
        assertThat(links()).extracting(l -> l.get("linkType")).contains("spare|product|part").doesNotContain("rel|product|part");
    }

    @Test
    void withoutADefaultTheLinkTypeIsRequired() {
        json().body("{\"default_link_type\": null}").patch("/api/projects/{p}", project).then().statusCode(200)
                .body("result.default_link_type", nullValue());
        json().body(unicat(desk, List.of(chair), Map.of())).post("/api/p/{p}/records/bulk/link", project).then()
                .statusCode(400).body("result.code", equalTo(400))
                .body("result.message", containsString("linkType is required: project '" + project + "' has no default"));
        assertThat(json().get("/api/p/{p}/jobs", project).then().extract().<List<Object>>path("result.jobs")).isEmpty();
    }

    @Test
    void settingTheDefaultIsForAdminsAndManagersAndTakesANameOrALinkType() {
        for (String body : List.of("{}", "{\"default_link_type\": 5}", "{\"default_link_type\": \"a|b\"}",
                "{\"default_link_type\": \"bad name\"}", "{\"default_link_type\": \"\"}", "{\"other\": 1}")) {
            json().body(body).patch("/api/projects/{p}", project).then().statusCode(400).body("success", equalTo(false));
        }
        json().get("/api/projects/{p}", project).then().body("result.default_link_type", equalTo("link"));
        json().body(Map.of("name", project + "x", "default_link_type", "bad|name")).post("/api/projects").then()
                .statusCode(400);
        json().body(Map.of("name", project + "y", "default_link_type", "related")).post("/api/projects").then()
                .statusCode(201).body("result.default_link_type", equalTo("related"));

        String member = member(Map.of());
        json().header("Authorization", member).body(Map.of("default_link_type", "rel")).patch("/api/projects/{p}", project)
                .then().statusCode(403).body("result.code", equalTo(403));
        String manager = member(Map.of("role", "manager"));
        json().header("Authorization", manager).body(Map.of("default_link_type", "rel")).patch("/api/projects/{p}", project)
                .then().statusCode(200).body("result.default_link_type", equalTo("rel"));
    }

    @Test
    void aMemberWithAnAllowListRegistersAndWritesOnlyTypesOnIt() {
        String member = member(Map.of("linkTypes", List.of("link|product|product")));
        String token = json().header("Authorization", member).body(unicat(desk, List.of(chair, screw), Map.of()))
                .post("/api/p/{p}/records/bulk/link", project).then().statusCode(202).extract().path("result.'job.token'");
        JsonPath job = Api.awaitFinal(project, token);
        assertThat(job.getInt("info.succeeded")).isEqualTo(1);
        assertThat(registered()).containsExactly("link|product|product");
        JsonPath failed = json().get("/api/p/{p}/jobs/{t}/results?outcome=failed", project, token).then().extract().jsonPath();
        assertThat(failed.getInt("result.items[0].error.code")).isEqualTo(403);
    }

    /** The Authorization header of a new member of the project with {@code membership}. */
    private String member(Map<String, Object> membership) {
        return Api.member("m", project, membership).bearer();
    }
}
