package dev.bulklinks.intake;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.fixtures.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * POST .../jobs/{token}/retry: a new job of the finished job's failed items, unchanged and in order,
 * whose results name each item's index in the retried job.
 */
@QuarkusTest
class RetryFailedItemsTest {

    private static final String REFERENCE = "reference|folder|folder";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    String project;
    String folderA;
    String folderB;
    String missing = UUID.randomUUID().toString();

    @BeforeEach
    void setUp() {
        Api.FolderPair pair = Api.folderPair();
        project = pair.project();
        folderA = pair.a();
        folderB = pair.b();
    }

    /** 1,000 links over 10 chunks: item 17's type is not registered (422), items 500 and 999 name a missing entity (404). */
    private String jobWithThreeFailures() {
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            links.add(i == 17 ? Map.of("input", folderA, "output", folderB, "linkType", REFERENCE,
                            "data", Map.of("price", 1.10, "n", i))
                    : i == 500 || i == 999 ? link(missing, folderB, BREAKDOWN)
                    : Map.of("input", folderA, "output", folderB, "linkType", BREAKDOWN, "data", Map.of("n", i)));
        }
        String token = Api.submit(project, "/links/bulk", Map.of("links", links, "mode", "create"));
        JsonPath job = Api.awaitFinal(project, token);
        assertThat(job.getString("status")).isEqualTo("done");
        assertThat(job.getInt("info.failed")).isEqualTo(3);
        return token;
    }

    private Response retry(String token, String body) {
        return body == null ? json().post("/api/p/{p}/jobs/{t}/retry", project, token)
                : json().body(body).post("/api/p/{p}/jobs/{t}/retry", project, token);
    }

    private String accepted(String token, String body) {
        Response response = retry(token, body);
        response.then().statusCode(202);
        String retry = response.path("result.'job.token'");
        response.then().header("Location", endsWith("/api/p/" + project + "/jobs/" + retry));
        return retry;
    }

    @Test
    void aRetryIsANewJobOfTheFailedItemsThatNamesTheirIndexes() throws Exception {
        String token = jobWithThreeFailures();

        String retry = accepted(token, null);
        JsonPath job = Api.awaitFinal(project, retry);
        assertThat(job.getString("job")).isEqualTo("bulk_upsert_links");
        assertThat(job.getInt("info.total")).isEqualTo(3);
        assertThat(job.getInt("info.failed")).isEqualTo(3);
        assertThat(job.getString("options.retry_of")).isEqualTo(token);
        assertThat(job.getString("options.mode")).isEqualTo("create");
        assertThat(job.getList("options.codes")).isNull();

        JsonPath results = json().get("/api/p/{p}/jobs/{t}/results", project, retry).then().statusCode(200)
                .extract().jsonPath().setRootPath("result");
        assertThat(results.getList("items.index", Integer.class)).containsExactly(0, 1, 2);
        assertThat(results.getList("items.original_index", Integer.class)).containsExactly(17, 500, 999);
        assertThat(results.getList("items.error.code", Integer.class)).containsExactly(1001, 404, 404);
        // The same errors as the first time: the items are the same.
        JsonPath first = json().get("/api/p/{p}/jobs/{t}/results?outcome=failed", project, token).then()
                .statusCode(200).extract().jsonPath().setRootPath("result");
        assertThat(results.getList("items.error.message")).isEqualTo(first.getList("items.error.message"));
        assertThat(json().get("/api/p/{p}/jobs/{t}/results?outcome=failed&offset=1", project, retry).then()
                .statusCode(200).extract().<List<Integer>>path("result.items.original_index")).containsExactly(500, 999);
        assertThat(json().get("/api/p/{p}/jobs/{t}/results?offset=0&limit=1000", project, token).then()
                .statusCode(200).extract().<List<Object>>path("result.items.original_index"))
                .as("a job that is no retry names no original index").allMatch(java.util.Objects::isNull);

        List<JsonNode> lines = new ArrayList<>();
        for (String line : given().get("/api/p/{p}/jobs/{t}/results.ndjson", project, retry).then().statusCode(200)
                .extract().asString().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).extracting(l -> l.get("original_index").intValue()).containsExactly(17, 500, 999);
        assertThat(lines.get(0).get("index").intValue()).isZero();

        // results.csv: the original index is the last column of a retry's rows; a job that is no retry has none.
        String csv = given().get("/api/p/{p}/jobs/{t}/results.csv", project, retry).then().statusCode(200).extract().asString();
        String[] rows = csv.split("\n");
        assertThat(rows[0]).endsWith(",error_code,error_message,original_index");
        assertThat(rows).hasSize(4);
        assertThat(rows[1]).endsWith(",17");
        assertThat(rows[3]).endsWith(",999");
        assertThat(given().get("/api/p/{p}/jobs/{t}/results.csv", project, token).then().statusCode(200).extract()
                .asString()).startsWith("input,output,linkType,data,position,name,success,id,operation,error_code,error_message\n");
    }

    @Test
    void withCodesOnlyThoseItemsAreRetried() {
        String token = jobWithThreeFailures();

        String retry = accepted(token, "{\"codes\": [404, 409]}");
        JsonPath job = Api.awaitFinal(project, retry);
        assertThat(job.getInt("info.total")).isEqualTo(2);
        assertThat(job.getString("options.retry_of")).isEqualTo(token);
        assertThat(job.getList("options.codes", Integer.class)).containsExactly(404, 409);
        assertThat(json().get("/api/p/{p}/jobs/{t}/results", project, retry).then().statusCode(200).extract()
                .<List<Integer>>path("result.items.original_index")).containsExactly(500, 999);

        retry(token, "{\"codes\": [409]}").then().statusCode(409)
                .body("result.message", containsString("no failed items with error code 409"));
    }

    @Test
    void aRetryWithAnIdempotencyKeyIsStoredOnce() {
        String token = jobWithThreeFailures();
        String key = UUID.randomUUID().toString();
        String first = json().header("Idempotency-Key", key).body("{\"codes\": [404]}")
                .post("/api/p/{p}/jobs/{t}/retry", project, token).then().statusCode(202).extract()
                .path("result.'job.token'");
        json().header("Idempotency-Key", key).body("{\"codes\": [404]}")
                .post("/api/p/{p}/jobs/{t}/retry", project, token).then().statusCode(202)
                .header("Idempotent-Replayed", "true")
                .body("result.'job.token'", org.hamcrest.Matchers.equalTo(first));
        json().header("Idempotency-Key", key).post("/api/p/{p}/jobs/{t}/retry", project, token).then()
                .statusCode(422);
        assertThat(Api.awaitFinal(project, first).getInt("info.total")).isEqualTo(2);
    }

    @Test
    void theRetriedItemsSucceedOnceTheCauseIsFixed() {
        String token = jobWithThreeFailures();
        Api.registerType(project, REFERENCE);
        String entity = Api.submit(project, "/entities/bulk", Map.of("entities", List.of(
                Map.of("id", missing, "type", "folder", "name", "came later"))));
        assertThat(Api.awaitFinal(project, entity).getInt("info.succeeded")).isEqualTo(1);

        String retry = accepted(token, null);
        JsonPath job = Api.awaitFinal(project, retry);
        assertThat(job.getInt("info.succeeded")).isEqualTo(3);
        JsonPath results = json().get("/api/p/{p}/jobs/{t}/results", project, retry).then().statusCode(200)
                .extract().jsonPath().setRootPath("result");
        assertThat(results.getList("items.original_index", Integer.class)).containsExactly(17, 500, 999);
        assertThat(results.getList("items.operation")).containsOnly("CREATE");
        // The retried item is unchanged, its data too.
        String id = results.getString("items[0].id");
        JsonPath link = json().get("/api/p/{p}/links/{id}", project, id).then().statusCode(200).extract().jsonPath();
        assertThat(link.getString("result.linkType")).isEqualTo(REFERENCE);
        assertThat(link.getMap("result.data")).containsEntry("n", 17);
        assertThat(link.getString("result.data.price")).isEqualTo("1.1");

        retry(retry, null).then().statusCode(409).body("result.message", containsString("no failed items"));
    }

    @Test
    void aJobThatIsNotFinishedCannotBeRetried() throws Exception {
        UUID queued = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO job (token, project, kind, status) VALUES (?, ?, 'bulk_upsert_links', ?)")) {
            ps.setObject(1, queued);
            ps.setString(2, project);
            ps.setString(3, "queued");
            ps.executeUpdate();
            UUID processing = UUID.randomUUID();
            ps.setObject(1, processing);
            ps.setString(3, "processing");
            ps.executeUpdate();
            retry(processing.toString(), null).then().statusCode(409)
                    .body("result.message", containsString("is processing"));
        }
        retry(queued.toString(), null).then().statusCode(409).body("result.message", containsString("is queued"));
        assertThat(Api.job(project, queued.toString()).getString("status")).isEqualTo("queued");
    }

    @Test
    void unknownJobsAndMalformedCodesAreRefused() {
        retry(UUID.randomUUID().toString(), null).then().statusCode(404);
        retry("not-a-token", null).then().statusCode(400);
        String done = Api.submit(project, "/links/bulk", Map.of("links", List.of(link(folderA, folderB, BREAKDOWN))));
        Api.awaitFinal(project, done);
        for (String body : List.of("{\"codes\": \"404\"}", "{\"codes\": []}", "{\"codes\": [40.5]}",
                "{\"codes\": [\"404\"]}", "{\"codes\": [7]}", "{\"code\": [404]}", "[404]", "{\"codes\": [404")) {
            retry(done, body).then().statusCode(400).body("success", org.hamcrest.Matchers.equalTo(false));
        }
        retry(done, null).then().statusCode(409).body("result.message", containsString("no failed items"));
    }
}
