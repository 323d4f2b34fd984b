package dev.bulklinks.project;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SignedIn;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deleting a project deletes its links and its jobs' chunks too, so a project made again under the name
 * starts empty.
 */
@QuarkusTest
class ProjectDeletionTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aDeletedProjectsLinksGoWithItAndItsNameStartsEmptyAgain() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project();
        json().body(Api.link(pair.a(), pair.b(), BREAKDOWN)).post("/api/p/{p}/links", project).then().statusCode(201);
        long id = number("SELECT id FROM project WHERE name = '" + project + "'");
        assertThat(links(id)).isEqualTo(1);
        String job = Api.submit(project, "/links/bulk", Map.of("links", List.of(Api.link(pair.b(), pair.a(), BREAKDOWN))));
        Api.awaitFinal(project, job);
        String chunks = "SELECT count(*) FROM job_chunk WHERE job_token = '" + job + "'";
        assertThat(number(chunks)).isEqualTo(1);

        // Projects are deleted through the AYON dialect's route (admins only).
        given().header(SignedIn.ANONYMOUS, "1").header("Authorization", "Bearer " + SignedIn.ADMIN_KEY)
                .delete("/ayon/api/projects/{p}", project).then().statusCode(204);
        assertThat(links(id)).as("the deleted project's links in the database").isZero();
        assertThat(number(chunks)).as("its job's chunks").isZero();

        json().body(Map.of("name", project)).post("/api/projects").then().statusCode(201);
        List<Object> listed = json().get("/api/p/{p}/links", project).then().statusCode(200).extract()
                .path("result.links");
        assertThat(listed).isEmpty();
    }

    private long links(long projectId) throws Exception {
        return number("SELECT count(*) FROM link WHERE project_id = " + projectId);
    }

    private long number(String query) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
