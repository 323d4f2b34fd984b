package dev.bulklinks.intake;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SlowUpload;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A large body's chunks are copied in while it still arrives (the test profile stages every three
 * chunks of 100 items): the job shows nothing of them before it is stored, they are its chunks once it
 * is, and a body that is refused or dropped halfway leaves none behind.
 */
@QuarkusTest
class StagedChunksTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource
    URL base;

    private long count(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs a change the way another part of the system would make it; answers the rows changed. */
    private int update(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }

    private long staged() throws SQLException {
        return count("SELECT count(*) FROM job_chunk WHERE state = 'staged'");
    }

    private static String lines(Api.FolderPair pair, int count) {
        String line = "{\"input\":\"" + pair.a() + "\",\"output\":\"" + pair.b() + "\",\"linkType\":\"" + BREAKDOWN + "\"}\n";
        return line.repeat(count);
    }

    private static List<String> jobsOf(String project) {
        return json().get("/api/p/{p}/jobs", project).then().statusCode(200).extract().path("result.jobs.'job.token'");
    }

    private SlowUpload upload(Api.FolderPair pair) throws Exception {
        return new SlowUpload(base, "/api/p/" + pair.project() + "/links/bulk", "application/x-ndjson", "");
    }

    @Test
    void chunksStagedWhileTheBodyArrivesAreTheJobsOnceItIsStored() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String token;
        try (SlowUpload upload = upload(pair)) {
            upload.send(lines(pair, 650));
            // Six chunks are spooled whole: they are staged while the rest has not come yet.
            await().atMost(WAIT).until(() -> staged() == 6);
            assertThat(jobsOf(pair.project())).as("no job before its body has come").isEmpty();
            upload.send(lines(pair, 350));
            upload.end();
            SlowUpload.Answer answer = upload.answer();
            assertThat(answer.status()).as(answer.body()).isEqualTo(202);
            token = JsonPath.from(answer.body()).getString("result.'job.token'");
        }
        UUID job = UUID.fromString(token);
        assertThat(staged()).isZero();
        // Ten chunks, numbered and placed in order, all of the job's sequence number.
        assertThat(count("SELECT count(*) FROM job_chunk WHERE job_token = ?", job)).isEqualTo(10);
        assertThat(count("""
                SELECT count(*) FROM job_chunk c JOIN job j ON j.token = c.job_token
                 WHERE c.job_token = ? AND c.job_seq = j.seq AND c.first_index = 100 * c.chunk_no
                   AND c.item_count = 100 AND c.chunk_no BETWEEN 0 AND 9""", job)).isEqualTo(10);
        JsonPath done = Api.awaitFinal(pair.project(), token);
        assertThat(done.getString("status")).isEqualTo("done");
        assertThat(done.getInt("info.total")).isEqualTo(1000);
        assertThat(done.getInt("info.succeeded") + done.getInt("info.failed")).isEqualTo(1000);
        List<Integer> indexes = json().accept("application/x-ndjson").get("/api/p/{p}/jobs/{t}/results.ndjson", pair.project(), token).then()
                .statusCode(200).extract().asString().lines().map(l -> JsonPath.from(l).getInt("index")).toList();
        assertThat(indexes).hasSize(1000).isSorted().startsWith(0).endsWith(999);
    }

    @Test
    void aBodyRefusedAfterSomeChunksWereStagedLeavesNothing() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        try (SlowUpload upload = upload(pair)) {
            upload.send(lines(pair, 400));
            await().atMost(WAIT).until(() -> staged() == 3);
            upload.send("{\"input\": not JSON}\n");
            upload.end();
            SlowUpload.Answer answer = upload.answer();
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(JsonPath.from(answer.body()).getString("result.message")).contains("line 401");
        }
        assertThat(staged()).as("the staged chunks went with the refusal").isZero();
        assertThat(jobsOf(pair.project())).isEmpty();
    }

    @Test
    void aClientGoneHalfwayLeavesNothing() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        try (SlowUpload upload = upload(pair)) {
            upload.send(lines(pair, 700));
            await().atMost(WAIT).until(() -> staged() == 6);
        } // the connection closes with the body unfinished
        await().atMost(WAIT).until(() -> staged() == 0);
        assertThat(jobsOf(pair.project())).isEmpty();
    }

    @Test
    void stagedChunksDeletedBeforeTheCommitMakeIt503AndStoreNothing() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        try (SlowUpload upload = upload(pair)) {
            upload.send(lines(pair, 400));
            await().atMost(WAIT).until(() -> staged() == 3);
            // As Retention does with the chunks of an upload older than they are kept.
            update("DELETE FROM job_chunk WHERE state = 'staged'");
            upload.send(lines(pair, 100));
            upload.end();
            SlowUpload.Answer answer = upload.answer();
            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            assertThat(answer.headers()).containsIgnoringCase("Retry-After");
            assertThat(JsonPath.from(answer.body()).getString("result.message")).contains("nothing was stored");
        }
        assertThat(jobsOf(pair.project())).isEmpty();
        assertThat(count("SELECT count(*) FROM job_chunk c WHERE NOT EXISTS (SELECT 1 FROM job j WHERE j.token = c.job_token)"))
                .as("chunks of no job, such as the rest the commit had copied").isZero();
    }

    @Test
    void aProjectDeletedWhileTheBodyArrivesIs404AndStoresNothing() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        try (SlowUpload upload = upload(pair)) {
            upload.send(lines(pair, 400));
            await().atMost(WAIT).until(() -> staged() == 3);
            assertThat(update("DELETE FROM project WHERE name = ?", pair.project())).isEqualTo(1);
            upload.send(lines(pair, 100));
            upload.end();
            SlowUpload.Answer answer = upload.answer();
            assertThat(answer.status()).as(answer.body()).isEqualTo(404);
            assertThat(JsonPath.from(answer.body()).getString("result.message"))
                    .isEqualTo("Project '" + pair.project() + "' not found; create it with POST /api/projects.");
        }
        assertThat(staged()).as("the staged chunks went with the refusal").isZero();
        assertThat(count("SELECT count(*) FROM job WHERE project = ?", pair.project())).isZero();
    }
}
