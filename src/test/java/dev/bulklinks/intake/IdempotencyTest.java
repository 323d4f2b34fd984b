package dev.bulklinks.intake;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulklinks.fixtures.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A retried submission with the same Idempotency-Key answers the first job and stores nothing new. */
@QuarkusTest
class IdempotencyTest {

    @Inject
    AgroalDataSource dataSource;

    String project;
    List<String> folders;

    @BeforeEach
    void setUp() {
        project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        folders = Api.entities(project, "folder", 10);
    }

    private Map<String, Object> body(int count) {
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            links.add(link(folders.get(i % 10), folders.get((i + 1) % 10), BREAKDOWN));
        }
        return Map.of("links", links);
    }

    private Response post(String key, Object body) {
        return json().header("Idempotency-Key", key).body(body).post("/api/p/{p}/links/bulk", project);
    }

    private List<String> allLinkJobs() {
        List<String> kinds = json().get("/api/p/{p}/jobs", project).then().extract().path("result.jobs.job");
        List<String> tokens = json().get("/api/p/{p}/jobs", project).then().extract().path("result.jobs.'job.token'");
        List<String> links = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            if (kinds.get(i).equals("bulk_upsert_links")) {
                links.add(tokens.get(i));
            }
        }
        return links;
    }

    @Test
    void retryWithTheSameKeyAndBodyAnswersTheFirstJob() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = body(250);
        Response first = post(key, body);
        first.then().statusCode(202);
        String token = first.path("result.'job.token'");
        assertThat(first.header("Idempotent-Replayed")).isNull();

        Response retry = post(key, body);
        retry.then().statusCode(202).header("Idempotent-Replayed", "true")
                .header("Location", containsString("/jobs/" + token))
                .body("result.'job.token'", equalTo(token));

        assertThat(allLinkJobs()).containsExactly(token);
        assertThat(Api.awaitFinal(project, token).getInt("info.succeeded")).isEqualTo(250);
        post(key, body).then().statusCode(202).body("result.'job.token'", equalTo(token));
        assertThat(allLinkJobs()).containsExactly(token);
    }

    @Test
    void sameKeyWithADifferentRequestIs422() {
        String key = "import-2026-11-24";
        String token = post(key, body(10)).then().statusCode(202).extract().path("result.'job.token'");

        post(key, body(11)).then().statusCode(422).body("success", equalTo(false))
                .body("result.code", equalTo(422))
                .body("result.message", containsString("was used for a different request"))
                .body("result.info.'job.token'", equalTo(token));
        json().header("Idempotency-Key", key).queryParam("atomic", "true").body(body(10))
                .post("/api/p/{p}/links/bulk", project).then().statusCode(422);
        assertThat(allLinkJobs()).containsExactly(token);
    }

    @Test
    void keysBelongToTheirProject() {
        String key = UUID.randomUUID().toString();
        String here = post(key, body(5)).then().statusCode(202).extract().path("result.'job.token'");
        String other = Api.newProject();
        Api.registerType(other, BREAKDOWN);
        String a = Api.entity(other, "folder", "a");
        String b = Api.entity(other, "folder", "b");
        String there = json().header("Idempotency-Key", key).body(Map.of("links", List.of(link(a, b, BREAKDOWN))))
                .post("/api/p/{p}/links/bulk", other).then().statusCode(202).extract().path("result.'job.token'");
        assertThat(there).isNotEqualTo(here);
    }

    @Test
    void malformedKeysAreRefused() {
        for (String key : List.of("has space", "x".repeat(256), "tab\tkey")) {
            post(key, body(1)).then().statusCode(400).body("result.message", containsString("Idempotency-Key must be"));
        }
        assertThat(allLinkJobs()).isEmpty();
    }

    @Test
    void theSameKeyFromAnotherUserIsAnotherSubmission() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = body(5);
        String bearer = Api.member("other", project, Map.of()).bearer();

        String mine = post(key, body).then().statusCode(202).extract().path("result.'job.token'");
        Response theirs = json().header("Authorization", bearer)
                .header("Idempotency-Key", key).body(body).post("/api/p/{p}/links/bulk", project);
        theirs.then().statusCode(202);
        assertThat(theirs.header("Idempotent-Replayed")).isNull();
        assertThat(theirs.<String>path("result.'job.token'")).isNotEqualTo(mine);
    }

    @Test
    void concurrentSubmissionsWithOneKeyMakeOneJob() throws Exception {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = body(20_000);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Response>> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Callable<Response> submit = () -> post(key, body);
            sent.add(pool.submit(submit));
        }
        List<String> tokens = new ArrayList<>();
        int replayed = 0;
        for (Future<Response> f : sent) {
            Response response = f.get();
            response.then().statusCode(202);
            tokens.add(response.path("result.'job.token'"));
            replayed += "true".equals(response.header("Idempotent-Replayed")) ? 1 : 0;
        }
        pool.shutdown();

        assertThat(tokens).containsOnly(tokens.get(0));
        assertThat(replayed).isEqualTo(2);
        assertThat(allLinkJobs()).containsExactly(tokens.get(0));
        assertThat(Api.awaitFinal(project, tokens.get(0)).getInt("info.succeeded")).isEqualTo(20_000);
        try (var c = dataSource.getConnection();
                var ps = c.prepareStatement("SELECT count(*) FROM link WHERE project_id = (SELECT id FROM project WHERE name = ?)")) {
            ps.setString(1, project);
            try (var rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("links written once").isEqualTo(20_000);
            }
        }
    }
}
