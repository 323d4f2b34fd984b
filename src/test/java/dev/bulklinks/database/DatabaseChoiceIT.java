package dev.bulklinks.database;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulklinks.fixtures.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged service picks its database: a configured server, else its own embedded one. */
class DatabaseChoiceIT {

    @TempDir
    Path dir;

    private static RequestSpecification api(ServiceProcess service) {
        return given().baseUri(service.baseUrl()).header("Authorization", service.bearer()).contentType(ContentType.JSON);
    }

    @Test
    void aConfiguredServerIsUsedAndNothingEmbeddedStarts() throws Exception {
        EmbeddedDatabase server = EmbeddedDatabase.open(dir.resolve("server"), true, false);
        Path unused = dir.resolve("unused-data");
        try (ServiceProcess service = ServiceProcess.start(dir.resolve("service"), Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", server.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", server.user(),
                "QUARKUS_DATASOURCE_PASSWORD", server.password(),
                "BULKLINKS_EMBEDDED_POSTGRES_DATA_DIR", unused.toString()))) {

            api(service).body(Map.of("name", "configured")).post("/api/projects").then().statusCode(201);

            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
                    ResultSet rs = c.createStatement().executeQuery("SELECT name FROM project")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("configured");
            }
            assertThat(unused).doesNotExist();
            assertThat(service.log()).doesNotContain("Embedded PostgreSQL started");
        } finally {
            server.close();
        }
    }

    @Test
    void withNoServerConfiguredJobsSurviveARestartOfTheEmbeddedDatabase() {
        Map<String, String> env = Map.of("BULKLINKS_EMBEDDED_POSTGRES_DATA_DIR", dir.resolve("data").toString());
        String token;
        try (ServiceProcess service = ServiceProcess.start(dir.resolve("service"), env)) {
            assertThat(service.log()).contains("Embedded PostgreSQL started");
            api(service).body(Map.of("name", "kept")).post("/api/projects").then().statusCode(201);
            api(service).body(Map.of()).put("/api/p/kept/links/types/{t}", BREAKDOWN).then().statusCode(201);
            String a = api(service).body(Map.of("type", "folder", "name", "a")).post("/api/p/kept/entities")
                    .then().statusCode(201).extract().path("result.id");
            String b = api(service).body(Map.of("type", "folder", "name", "b")).post("/api/p/kept/entities")
                    .then().statusCode(201).extract().path("result.id");
            token = api(service).body(Map.of("links", List.of(Map.of("input", a, "output", b, "linkType", BREAKDOWN))))
                    .post("/api/p/kept/links/bulk").then().statusCode(202).extract().path("result.'job.token'");
            await().atMost(Duration.ofSeconds(30)).until(() -> "done".equals(
                    api(service).get("/api/p/kept/jobs/{t}", token).then().extract().path("result.status")));
            service.stop();
            assertThat(service.log()).contains("Embedded PostgreSQL").doesNotContain(" ERROR ");
        }
        assertThat(Files.exists(dir.resolve("data/PG_VERSION"))).isTrue();

        try (ServiceProcess again = ServiceProcess.start(dir.resolve("service"), env)) {
            api(again).get("/api/p/kept/jobs/{t}", token).then().statusCode(200)
                    .body("result.status", org.hamcrest.Matchers.equalTo("done"))
                    .body("result.info.succeeded", org.hamcrest.Matchers.equalTo(1));
        }
    }
}
