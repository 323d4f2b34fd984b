package dev.bulklinks.job;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Finished jobs go after the retention, with their items, results and idempotency keys; their links
 * stay. Staged chunks of uploads that never ended go once their time has passed.
 */
@QuarkusTest
class RetentionTest {

    @Inject
    Retention retention;

    @Inject
    AgroalDataSource dataSource;

    private long chunksOf(UUID job) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM job_chunk WHERE job_token = ?")) {
            ps.setObject(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A staged chunk of an upload that is not there, kept until {@code keptFor} from now (negative: passed). */
    private UUID staged(String keptFor) throws SQLException {
        UUID job = UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO job_chunk (job_token, chunk_no, job_seq, first_index, item_count, items, state, lease_until)
                VALUES (?, 0, 0, 0, 1, '[{}]', 'staged', now() + ?::interval)""")) {
            ps.setObject(1, job);
            ps.setString(2, keptFor);
            ps.executeUpdate();
        }
        return job;
    }

    @Test
    void stagedChunksOfAnUploadThatNeverEndedGoOnceTheirTimeHasPassed() throws SQLException {
        UUID abandoned = staged("-1 minute");
        UUID receiving = staged("1 hour");
        try {
            assertThat(retention.deleteAbandonedStaged()).isEqualTo(1);
            assertThat(chunksOf(abandoned)).isZero();
            assertThat(chunksOf(receiving)).as("an upload still arriving keeps its chunks").isEqualTo(1);
        } finally {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("DELETE FROM job_chunk WHERE job_token = ?")) {
                ps.setObject(1, receiving);
                ps.executeUpdate();
            }
        }
    }

    @Test
    void finishedJobIsDeletedAndItsStatusAnswers404() throws SQLException {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project(), a = pair.a(), b = pair.b();
        Map<String, Object> body = Map.of("links", List.of(link(a, b, BREAKDOWN), link(b, a, BREAKDOWN)));
        String token = json().header("Idempotency-Key", "nightly").body(body).post("/api/p/{p}/links/bulk", project)
                .then().statusCode(202).extract().path("result.'job.token'");
        assertThat(Api.awaitFinal(project, token).getString("status")).isEqualTo("done");

        assertThat(retention.deleteFinishedBefore(Duration.ofHours(1))).as("younger than the retention").isZero();
        json().get("/api/p/{p}/jobs/{t}", project, token).then().statusCode(200);

        assertThat(chunksOf(UUID.fromString(token))).isEqualTo(1);
        assertThat(retention.deleteFinishedBefore(Duration.ZERO)).isPositive();
        assertThat(chunksOf(UUID.fromString(token))).as("its chunks went with it").isZero();
        json().get("/api/p/{p}/jobs/{t}", project, token).then().statusCode(404);
        json().get("/api/p/{p}/jobs/{t}/results", project, token).then().statusCode(404);
        assertThat(json().get("/api/p/{p}/links?input={a}", project, a).then().statusCode(200).extract()
                .<List<Object>>path("result.links")).hasSize(1);

        String again = json().header("Idempotency-Key", "nightly").body(body).post("/api/p/{p}/links/bulk", project)
                .then().statusCode(202).extract().path("result.'job.token'");
        assertThat(again).as("the key went with its job").isNotEqualTo(token);
    }
}
