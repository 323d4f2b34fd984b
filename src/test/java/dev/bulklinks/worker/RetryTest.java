package dev.bulklinks.worker;

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
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failures injected in PostgreSQL itself: a trigger on the links table raises an error when it
 * meets a link with a marked name. A sequence, which no rollback undoes, counts the failures.
 */
@QuarkusTest
class RetryTest {

    @Inject
    AgroalDataSource dataSource;

    String project;
    List<String> folders;

    private void sql(String statement) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @BeforeEach
    void injectFaults() throws SQLException {
        project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        folders = Api.entities(project, "folder", 5);
        sql("CREATE SEQUENCE IF NOT EXISTS test_transient_hits");
        sql("ALTER SEQUENCE test_transient_hits RESTART");
        sql("""
                CREATE OR REPLACE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.name = 'transient fault' THEN
                        IF nextval('test_transient_hits') <= 2 THEN
                            RAISE EXCEPTION 'injected serialization failure' USING ERRCODE = '40001';
                        END IF;
                    ELSIF NEW.name = 'permanent fault' THEN
                        RAISE EXCEPTION 'injected permanent failure' USING ERRCODE = '22023';
                    END IF;
                    RETURN NEW;
                END $$""");
        sql("CREATE OR REPLACE TRIGGER test_fault BEFORE INSERT ON link FOR EACH ROW EXECUTE FUNCTION test_fault()");
    }

    @AfterEach
    void removeFaults() throws SQLException {
        sql("DROP TRIGGER IF EXISTS test_fault ON link");
        sql("DROP FUNCTION IF EXISTS test_fault()");
    }

    /** 300 links in three chunks of 100; item 150, in the middle chunk, carries {@code name}. */
    private String submit(String name) {
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Map<String, Object> item = new HashMap<>(link(folders.get(i % 5), folders.get((i + 1) % 5), BREAKDOWN));
            if (i == 150) {
                item.put("name", name);
            }
            links.add(item);
        }
        return Api.submit(project, "/links/bulk", Map.of("links", links));
    }

    private int[] chunk(String token, int chunkNo) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT attempt, succeeded, failed FROM job_chunk WHERE job_token = ? AND chunk_no = ?")) {
            ps.setObject(1, UUID.fromString(token));
            ps.setInt(2, chunkNo);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new int[] {rs.getInt(1), rs.getInt(2), rs.getInt(3)};
            }
        }
    }

    private long links(String token) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT count(DISTINCT item_index) FROM link WHERE job_token = ? HAVING count(*) = count(DISTINCT item_index)")) {
            ps.setObject(1, UUID.fromString(token));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Test
    void transientFailureIsRetriedAndTheJobIsDone() throws SQLException {
        String token = submit("transient fault");

        JsonPath job = Api.awaitFinal(project, token);
        assertThat(job.getString("status")).isEqualTo("done");
        assertThat(job.getInt("info.succeeded")).isEqualTo(300);
        assertThat(job.getInt("info.failed")).isZero();
        assertThat(chunk(token, 1)).as("attempt, succeeded, failed of the middle chunk").containsExactly(3, 100, 0);
        assertThat(links(token)).as("each item written once").isEqualTo(300);
    }

    @Test
    void permanentFailureFailsJustThatChunksItems() throws SQLException {
        String token = submit("permanent fault");

        JsonPath job = Api.awaitFinal(project, token);
        assertThat(job.getString("status")).isEqualTo("done");
        assertThat(job.getInt("info.succeeded")).isEqualTo(200);
        assertThat(job.getInt("info.failed")).isEqualTo(100);
        assertThat(chunk(token, 1)).as("not retried").containsExactly(1, 0, 100);
        assertThat(links(token)).isEqualTo(200);

        JsonPath failed = json().get("/api/p/{p}/jobs/{t}/results?outcome=failed&limit=100", project, token).then()
                .statusCode(200).extract().jsonPath().setRootPath("result");
        assertThat(failed.getList("items.index", Integer.class)).hasSize(100).startsWith(100).endsWith(199);
        assertThat(failed.getInt("items[0].error.code")).isEqualTo(500);
        assertThat(failed.getString("items[0].error.message")).contains("Not processed").contains("injected permanent failure");
    }
}
