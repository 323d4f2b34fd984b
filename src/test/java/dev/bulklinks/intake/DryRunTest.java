package dev.bulklinks.intake;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * dryRun: a job checks every item against the current data and records each result as a real run
 * would, and writes nothing: no links, no entities, no links or entities events.
 */
@QuarkusTest
class DryRunTest {

    @Inject
    AgroalDataSource dataSource;

    String project;
    String folderA;
    String folderB;
    String takenId;

    @BeforeEach
    void setUp() {
        project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        folderA = Api.entity(project, "folder", "a");
        folderB = Api.entity(project, "folder", "b");
        takenId = json().body(link(folderA, folderB, BREAKDOWN)).post("/api/p/{p}/links", project)
                .then().statusCode(201).extract().path("result.id");
    }

    /** Creates, a missing entity (404), a malformed type (400), a taken id and an id given twice (409). */
    private List<Map<String, Object>> mixedLinks() {
        String givenId = UUID.randomUUID().toString();
        Map<String, Object> withGivenId = new HashMap<>(link(folderA, folderB, BREAKDOWN));
        withGivenId.put("id", givenId);
        Map<String, Object> withTakenId = new HashMap<>(link(folderB, folderA, BREAKDOWN));
        withTakenId.put("id", takenId);
        return List.of(
                link(folderA, folderB, BREAKDOWN),
                link(UUID.randomUUID().toString(), folderB, BREAKDOWN),
                link(folderA, folderB, "breakdown|folder"),
                withGivenId,
                withGivenId,
                withTakenId,
                link(folderB, folderA, BREAKDOWN));
    }

    @Test
    void aDryRunOfLinksGivesTheResultsOfARealRunAndWritesNothing() throws Exception {
        List<Map<String, Object>> links = mixedLinks();
        Map<String, Long> before = counts();

        Map<String, Object> dryBody = new LinkedHashMap<>();
        dryBody.put("links", links);
        dryBody.put("dryRun", true);
        String dry = Api.submit(project, "/links/bulk", dryBody);
        JsonPath dryJob = Api.awaitFinal(project, dry);
        assertThat(dryJob.getString("status")).isEqualTo("done");
        assertThat(dryJob.getBoolean("options.dryRun")).isTrue();
        assertThat(dryJob.getInt("info.succeeded")).isEqualTo(3);
        assertThat(dryJob.getInt("info.failed")).isEqualTo(4);
        List<String> dryResults = results(dry);
        assertThat(dryResults).containsExactly("0 CREATE", "1 404", "2 400", "3 CREATE", "4 409", "5 409",
                "6 CREATE");
        assertThat(counts()).as("links, entities and links/entities events after the dry run").isEqualTo(before);

        String real = Api.submit(project, "/links/bulk", Map.of("links", links));
        JsonPath realJob = Api.awaitFinal(project, real);
        assertThat((Object) realJob.get("options.dryRun")).isNull();
        assertThat(results(real)).isEqualTo(dryResults);
        assertThat(counts().get("links")).isEqualTo(before.get("links") + 3);
        assertThat(counts().get("events")).isGreaterThan(before.get("events"));
    }

    @Test
    void aDryRunOfEntitiesAndOfDeletesAsNdjsonWritesNothing() throws Exception {
        String parent = UUID.randomUUID().toString();
        String ndjson = "{\"id\": \"" + parent + "\", \"type\": \"folder\", \"name\": \"p\"}\n"
                + "{\"type\": \"folder\", \"name\": \"child\", \"parent\": \"" + parent + "\"}\n"
                + "{\"type\": \"folder\", \"name\": \"orphan\", \"parent\": \"" + UUID.randomUUID() + "\"}\n"
                + "{\"id\": \"" + folderA + "\", \"type\": \"folder\", \"name\": \"a renamed\"}\n";
        String ids = "\"" + takenId + "\"\n\"" + UUID.randomUUID() + "\"\n";
        Map<String, Long> before = counts();

        String dryEntities = submitNdjson("/entities/bulk?dryRun=true", ndjson);
        String dryDeletes = submitNdjson("/links/bulk/delete?dryRun=true", ids);
        assertThat(Api.awaitFinal(project, dryEntities).getBoolean("options.dryRun")).isTrue();
        Api.awaitFinal(project, dryDeletes);
        List<String> entityResults = results(dryEntities);
        List<String> deleteResults = results(dryDeletes);
        assertThat(entityResults).containsExactly("0 CREATE", "1 CREATE", "2 404", "3 UPDATE");
        assertThat(deleteResults).containsExactly("0 DELETE", "1 404");
        assertThat(counts()).isEqualTo(before);
        json().get("/api/p/{p}/entities/{id}", project, folderA).then().statusCode(200)
                .body("result.name", org.hamcrest.Matchers.equalTo("a"));

        String realEntities = submitNdjson("/entities/bulk", ndjson);
        String realDeletes = submitNdjson("/links/bulk/delete", ids);
        Api.awaitFinal(project, realEntities);
        Api.awaitFinal(project, realDeletes);
        assertThat(results(realEntities)).isEqualTo(entityResults);
        assertThat(results(realDeletes)).isEqualTo(deleteResults);
        assertThat(counts().get("entities")).isEqualTo(before.get("entities") + 2);
        assertThat(counts().get("links")).isEqualTo(before.get("links") - 1);
    }

    @Test
    void anAtomicDryRunEndsAsARealOneWouldAndWritesNothing() throws Exception {
        Map<String, Long> before = counts();
        String valid = Api.submit(project, "/links/bulk", Map.of("links", List.of(link(folderA, folderB, BREAKDOWN),
                link(folderB, folderA, BREAKDOWN)), "atomic", true, "dryRun", true));
        String invalid = Api.submit(project, "/links/bulk", Map.of("links", List.of(link(folderA, folderB, BREAKDOWN),
                link(UUID.randomUUID().toString(), folderA, BREAKDOWN)), "atomic", true, "dryRun", true));

        JsonPath done = Api.awaitFinal(project, valid);
        assertThat(done.getString("status")).isEqualTo("done");
        assertThat(done.getInt("info.succeeded")).isEqualTo(2);
        JsonPath rejected = Api.awaitFinal(project, invalid);
        assertThat(rejected.getString("status")).isEqualTo("rejected");
        assertThat(results(invalid)).containsExactly("0 424", "1 404");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void aDryRunOfARecordLinkJobGrowsToItsSelectionAndWritesNothing() throws Exception {
        String folderC = Api.entity(project, "folder", "c");
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("parent", folderA);
        request.put("linkType", BREAKDOWN);
        request.put("selection", List.of(folderB, folderC, folderA));
        Map<String, Long> before = counts();
        Map<String, Object> dryRequest = new LinkedHashMap<>(request);
        dryRequest.put("dryRun", true);
        String dry = Api.submit(project, "/records/bulk/link", dryRequest);
        JsonPath dryJob = Api.awaitFinal(project, dry);
        assertThat(dryJob.getString("status")).isEqualTo("done");
        assertThat(dryJob.getBoolean("options.dryRun")).isTrue();
        assertThat(dryJob.getInt("info.total")).as("grown to the selection").isEqualTo(3);
        List<String> dryResults = results(dry);
        assertThat(dryResults).containsExactly("0 CREATE", "1 CREATE", "2 400");
        assertThat(counts()).as("links and events after the dry run").isEqualTo(before);

        String real = Api.submit(project, "/records/bulk/link", request);
        assertThat(Api.awaitFinal(project, real).getInt("info.total")).isEqualTo(3);
        assertThat(results(real)).isEqualTo(dryResults);
        assertThat(counts().get("links")).isEqualTo(before.get("links") + 2);
    }

    @Test
    void dryRunMustBeABoolean() {
        json().body(Map.of("links", mixedLinks(), "dryRun", "yes")).post("/api/p/{p}/links/bulk", project)
                .then().statusCode(400).body("result.message", org.hamcrest.Matchers.containsString("dryRun"));
        Api.ndjson().body("\"" + takenId + "\"\n").post("/api/p/{p}/links/bulk/delete?dryRun=1", project)
                .then().statusCode(400).body("result.message", org.hamcrest.Matchers.containsString("dryRun"));
    }

    private String submitNdjson(String path, String body) {
        return Api.ndjson().body(body).post("/api/p/" + project + path).then().statusCode(202).extract()
                .path("result.'job.token'");
    }

    /** Each result as "index operation" or "index error-code": what a run decides, without the ids it makes. */
    private List<String> results(String token) {
        JsonPath page = json().get("/api/p/{p}/jobs/{t}/results?limit=1000", project, token).then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> items = page.getList("result.items");
        List<String> out = new ArrayList<>();
        for (Map<String, Object> item : items) {
            Object error = item.get("error");
            out.add(item.get("index") + " " + (Boolean.TRUE.equals(item.get("success")) ? item.get("operation")
                    : ((Map<?, ?>) error).get("code")));
        }
        return out;
    }

    /** The project's links, entities and events about links or entities. */
    private Map<String, Long> counts() throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("links", count("SELECT count(*) FROM link WHERE project_id = (SELECT id FROM project WHERE name = ?)"));
        counts.put("entities", count("SELECT count(*) FROM entity WHERE project = ?"));
        counts.put("events", count("SELECT count(*) FROM sync_event WHERE project = ? AND data_type <> 'jobs'"));
        return counts;
    }

    private long count(String query) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(query)) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
