package dev.bulklinks.intake;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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

/** A job holding every kind of invalid item beside valid ones. */
@QuarkusTest
class MixedItemsTest {

    String project;
    String folderA;
    String folderB;
    String version;
    String takenId;
    String givenId = UUID.randomUUID().toString();

    @BeforeEach
    void setUp() {
        project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        folderA = Api.entity(project, "folder", "a");
        folderB = Api.entity(project, "folder", "b");
        version = Api.entity(project, "version", "v001");
        takenId = json().body(link(folderA, folderB, BREAKDOWN)).post("/api/p/{p}/links", project)
                .then().statusCode(201).extract().path("result.id");
    }

    /** Index, item, and the error code it must get (0 for a valid item). */
    private record Case(Map<String, Object> item, int code) {
    }

    private List<Case> cases() {
        String missing = UUID.randomUUID().toString();
        Map<String, Object> withGivenId = new HashMap<>(link(folderA, folderB, BREAKDOWN));
        withGivenId.put("id", givenId);
        Map<String, Object> withTakenId = new HashMap<>(link(folderA, folderB, BREAKDOWN));
        withTakenId.put("id", takenId);
        return List.of(
                new Case(link(folderA, folderB, BREAKDOWN), 0),
                new Case(link(missing, folderB, BREAKDOWN), 404),
                new Case(link(version, folderB, BREAKDOWN), 1001),
                new Case(link(folderA, folderB, "reference|folder|folder"), 1001),
                new Case(link(folderA, folderB, "breakdown|folder"), 400),
                new Case(link(folderA, folderA, BREAKDOWN), 400),
                new Case(withGivenId, 0),
                new Case(withGivenId, 409),
                new Case(withTakenId, 409),
                new Case(link("not-an-id", folderB, BREAKDOWN), 400),
                new Case(link(folderB.replace("-", ""), folderA.replace("-", "").toUpperCase(), BREAKDOWN), 0));
    }

    @Test
    void everyItemGetsItsOwnOutcomeAndTheJobIsDone() throws Exception {
        List<Case> cases = cases();
        String token = Api.submit(project, "/links/bulk",
                Map.of("links", cases.stream().map(Case::item).toList(), "atomic", false));

        JsonPath job = Api.awaitFinal(project, token);
        assertThat(job.getString("status")).isEqualTo("done");
        assertThat(job.getInt("info.total")).isEqualTo(11);
        assertThat(job.getInt("info.succeeded")).isEqualTo(3);
        assertThat(job.getInt("info.failed")).isEqualTo(8);

        JsonPath results = json().get("/api/p/{p}/jobs/{t}/results", project, token).then().statusCode(200)
                .extract().jsonPath().setRootPath("result");
        assertThat(results.getInt("total")).isEqualTo(11);
        for (int i = 0; i < cases.size(); i++) {
            String item = "items[" + i + "].";
            assertThat(results.getInt(item + "index")).isEqualTo(i);
            if (cases.get(i).code() == 0) {
                assertThat(results.getBoolean(item + "success")).as("item %d", i).isTrue();
                assertThat(results.getString(item + "operation")).isEqualTo("CREATE");
                String id = results.getString(item + "id");
                json().get("/api/p/{p}/links/{id}", project, id).then().statusCode(200);
            } else {
                assertThat(results.getBoolean(item + "success")).as("item %d", i).isFalse();
                assertThat(results.getInt(item + "error.code")).as("item %d", i).isEqualTo(cases.get(i).code());
                assertThat(results.getString(item + "error.message")).isNotBlank();
            }
        }
        assertThat(results.getString("items[6].id")).isEqualTo(givenId);
        assertThat(results.getString("items[1].error.message")).contains("not found");
        assertThat(results.getList("items[1].error.details", String.class)).anyMatch(d -> d.startsWith("input: "));
        assertThat(results.getString("items[7].error.message")).contains("item 6");

        JsonPath failed = json().get("/api/p/{p}/jobs/{t}/results?outcome=failed&limit=5&offset=2", project, token)
                .then().statusCode(200).extract().jsonPath().setRootPath("result");
        assertThat(failed.getInt("total")).isEqualTo(8);
        assertThat(failed.getList("items.index", Integer.class)).containsExactly(3, 4, 5, 7, 8);

        String ndjson = given().accept("application/x-ndjson")
                .get("/api/p/{p}/jobs/{t}/results.ndjson", project, token).then().statusCode(200)
                .contentType("application/x-ndjson").extract().asString();
        assertThat(ndjson.lines()).hasSize(11).allMatch(line -> line.startsWith("{\"index\":"));

        // Java's client asks for an h2c upgrade; over HTTP/2 a paused reader would make the server buffer.
        java.net.http.HttpResponse<String> upgraded = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + io.restassured.RestAssured.port
                        + "/api/p/" + project + "/jobs/" + token + "/results.ndjson"))
                        .header("Authorization", dev.bulklinks.fixtures.SignedIn.bearer()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(upgraded.version()).as("the service answers in HTTP/1.1")
                .isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
        assertThat(upgraded.body()).isEqualTo(ndjson);
    }

    @Test
    void atomicJobWithAnInvalidItemIsRejectedAndWritesNothing() {
        List<Case> cases = cases();
        String token = Api.submit(project, "/links/bulk",
                Map.of("links", cases.stream().map(Case::item).toList(), "atomic", true));

        JsonPath job = Api.awaitFinal(project, token);
        assertThat(job.getString("status")).isEqualTo("rejected");
        assertThat(job.getInt("info.remaining")).isZero();
        assertThat(job.getInt("info.succeeded")).isZero();
        assertThat(job.getInt("info.failed")).isEqualTo(11);
        assertThat(job.getInt("error.code")).isEqualTo(1001);
        assertThat(job.getInt("error.info.invalid")).isEqualTo(8);
        assertThat(job.getList("error.info.items.index", Integer.class)).containsExactly(1, 2, 3, 4, 5, 7, 8, 9);
        assertThat(linksOf(project)).containsExactly(takenId);

        JsonPath results = json().get("/api/p/{p}/jobs/{t}/results", project, token).then().extract().jsonPath()
                .setRootPath("result");
        for (int i = 0; i < cases.size(); i++) {
            int expected = cases.get(i).code() == 0 ? 424 : cases.get(i).code();
            assertThat(results.getInt("items[" + i + "].error.code")).as("item %d", i).isEqualTo(expected);
        }
    }

    @Test
    void atomicJobFailingInALaterChunkRollsBackTheEarlierOnes() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            items.add(link(folderA, folderB, BREAKDOWN));
        }
        items.set(180, link(folderA, UUID.randomUUID().toString(), BREAKDOWN));

        String token = Api.submit(project, "/links/bulk", Map.of("atomic", true, "links", items));

        JsonPath job = Api.awaitFinal(project, token);
        assertThat(job.getString("status")).isEqualTo("rejected");
        assertThat(job.getList("error.info.items.index", Integer.class)).containsExactly(180);
        assertThat(linksOf(project)).containsExactly(takenId);
        JsonPath failed = json().get("/api/p/{p}/jobs/{t}/results?outcome=failed&limit=1000", project, token)
                .then().extract().jsonPath().setRootPath("result");
        assertThat(failed.getList("items.error.code", Integer.class)).hasSize(250).containsOnly(424, 404);
        assertThat(failed.getInt("items[180].error.code")).isEqualTo(404);
    }

    @Test
    void atomicJobOfValidItemsWritesThemAll() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            items.add(link(i % 2 == 0 ? folderA : folderB, i % 2 == 0 ? folderB : folderA, BREAKDOWN));
        }
        String token = Api.submit(project, "/links/bulk", Map.of("atomic", true, "links", items));

        JsonPath job = Api.awaitFinal(project, token);
        assertThat(job.getString("status")).isEqualTo("done");
        assertThat(job.getInt("info.succeeded")).isEqualTo(250);
        assertThat(linksOf(project)).hasSize(251);
    }

    private static List<String> linksOf(String project) {
        return json().get("/api/p/{p}/links?limit=1000", project).then().statusCode(200)
                .extract().path("result.links.id");
    }
}
