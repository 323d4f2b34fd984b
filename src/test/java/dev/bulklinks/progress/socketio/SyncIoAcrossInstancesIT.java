package dev.bulklinks.progress.socketio;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.database.EmbeddedDatabase;
import dev.bulklinks.fixtures.ServiceProcess;
import dev.bulklinks.fixtures.SyncIoClient;
import dev.bulklinks.fixtures.SyncIoClient.Transport;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the packaged service share one database: B runs the job, A has no workers and holds
 * the socket.io client's socket. The job's sync items reach the socket on A, in order, to done.
 */
class SyncIoAcrossInstancesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static EmbeddedDatabase database;
    static ServiceProcess pushing;
    static ServiceProcess working;

    @BeforeAll
    static void start() {
        database = EmbeddedDatabase.open(dir.resolve("db"), true, false);
        Map<String, String> shared = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", database.user(),
                "QUARKUS_DATASOURCE_PASSWORD", database.password(),
                "BULKLINKS_INTAKE_CHUNK_SIZE", "100");
        Map<String, String> noWorkers = new HashMap<>(shared);
        noWorkers.put("BULKLINKS_WORKER_ENABLED", "false");
        pushing = ServiceProcess.start(dir.resolve("a"), noWorkers);
        working = ServiceProcess.start(dir.resolve("b"), shared);
    }

    @AfterAll
    static void stop() {
        if (pushing != null) {
            pushing.close();
        }
        if (working != null) {
            working.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static RequestSpecification api(ServiceProcess service) {
        return given().baseUri(service.baseUrl()).header("Authorization", service.bearer()).contentType(ContentType.JSON);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aJobRunByOneInstanceIsPushedToASocketOnTheOther(Transport transport) {
        String project = "shared_" + transport.name().toLowerCase();
        api(pushing).body(Map.of("name", project)).post("/api/projects").then().statusCode(201);
        api(pushing).body(Map.of()).put("/api/p/{p}/links/types/{t}", project, BREAKDOWN).then().statusCode(201);
        String a = api(pushing).body(Map.of("type", "folder", "name", "a")).post("/api/p/{p}/entities", project)
                .then().statusCode(201).extract().path("result.id");
        String b = api(pushing).body(Map.of("type", "folder", "name", "b")).post("/api/p/{p}/entities", project)
                .then().statusCode(201).extract().path("result.id");
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            links.add(Map.of("input", a, "output", b, "linkType", BREAKDOWN));
        }
        String jwt = pushing.bearer().substring("Bearer ".length());

        try (SyncIoClient socket = SyncIoClient.connect(pushing.baseUrl(), transport,
                Map.of("JWT", jwt, "project", project))) {
            socket.authorization(WAIT);
            String token = api(working).body(Map.of("links", links)).post("/api/p/{p}/links/bulk", project).then()
                    .statusCode(202).extract().path("result.'job.token'");

            List<JSONObject> items = socket.until(item -> token.equals(item.optString("data_key"))
                    && "done".equals(item.getJSONObject("data").optString("status")), WAIT);
            assertThat(items).extracting(item -> item.getLong("cursor")).isSorted().doesNotHaveDuplicates();
            assertThat(items).filteredOn(item -> item.getString("data_type").equals("links"))
                    .extracting(item -> item.getJSONObject("data").getInt("count")).hasSize(10).containsOnly(100);
            assertThat(items).filteredOn(item -> item.getString("data_type").equals("jobs"))
                    .extracting(item -> item.getJSONObject("data").getString("status")).startsWith("queued")
                    .endsWith("done");
            assertThat(working.log()).contains("job " + token + ": done");
            assertThat(pushing.log()).doesNotContain("job " + token + ": done").contains("Workers are off in this instance");
        }
    }
}
