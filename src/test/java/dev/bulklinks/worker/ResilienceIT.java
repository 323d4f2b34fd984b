package dev.bulklinks.worker;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.bulklinks.database.EmbeddedDatabase;
import dev.bulklinks.fixtures.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Breaking things for real, on the packaged service: an instance killed with SIGKILL mid-job, one
 * stopped with SIGTERM, and the database stopped and started under a running job. In each case the
 * job ends done and every valid item is written exactly once.
 */
class ResilienceIT {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final int ENTITIES = 1000;

    @TempDir
    static Path dir;
    static EmbeddedDatabase database;
    static ServiceProcess survivor;
    static Map<String, String> env;
    static List<String> entities;

    @BeforeAll
    static void start() {
        // Not "clean": that would delete the data when the server stops, and one test restarts it.
        database = EmbeddedDatabase.open(dir.resolve("db"), false, false);
        env = new HashMap<>(Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", database.user(),
                "QUARKUS_DATASOURCE_PASSWORD", database.password(),
                "BULKLINKS_WORKER_LEASE", "3s",
                "BULKLINKS_WORKER_RESCUE_INTERVAL", "1s",
                "BULKLINKS_WORKER_RETRY_BACKOFF", "200ms",
                "QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "2s"));
        survivor = ServiceProcess.start(dir.resolve("survivor"), env);
        api(survivor).body(Map.of("name", "shared")).post("/api/projects").then().statusCode(201);
        api(survivor).body(Map.of()).put("/api/p/shared/links/types/{t}", BREAKDOWN).then().statusCode(201);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < ENTITIES; i++) {
            items.add(Map.of("type", "folder", "name", "f" + i));
        }
        String token = api(survivor).body(Map.of("entities", items)).post("/api/p/shared/entities/bulk").then()
                .statusCode(202).extract().path("result.'job.token'");
        assertThat(awaitFinal(survivor, token).getString("status")).isEqualTo("done");
        entities = api(survivor).get("/api/p/shared/jobs/{t}/results?limit=1000", token).then().extract()
                .path("result.items.id");
    }

    @AfterAll
    static void stop() throws java.io.IOException {
        if (survivor != null) {
            survivor.close();
            java.nio.file.Files.createDirectories(Path.of("target/it-logs"));
            java.nio.file.Files.writeString(Path.of("target/it-logs/resilience-survivor.log"), survivor.log());
        }
        if (database != null) {
            database.close();
        }
    }

    private static RequestSpecification api(ServiceProcess service) {
        return given().baseUri(service.baseUrl()).header("Authorization", service.bearer()).contentType(ContentType.JSON);
    }

    private static JsonPath job(ServiceProcess service, String token) {
        return api(service).get("/api/p/shared/jobs/{t}", token).then().statusCode(200).extract().jsonPath()
                .setRootPath("result");
    }

    private static JsonPath awaitFinal(ServiceProcess service, String token) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> !List.of("queued", "processing").contains(job(service, token).getString("status")));
        return job(service, token);
    }

    /** {@code count} links; every 100th names an entity that does not exist, so it must fail. */
    private static String ndjson(int count) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String output = i % 100 == 99 ? UUID.nameUUIDFromBytes(("gone" + i).getBytes()).toString()
                    : entities.get((i * 7 + 1) % ENTITIES);
            body.append("{\"input\":\"").append(entities.get(i % ENTITIES)).append("\",\"output\":\"").append(output)
                    .append("\",\"linkType\":\"").append(BREAKDOWN).append("\"}\n");
        }
        return body.toString();
    }

    private static String submit(ServiceProcess service, int count) {
        return given().baseUri(service.baseUrl()).header("Authorization", service.bearer()).contentType("application/x-ndjson").body(ndjson(count).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/p/shared/links/bulk").then().statusCode(202).extract().path("result.'job.token'");
    }

    private static long query(String sql, Object... parameters) throws SQLException {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long runningChunksOf(ServiceProcess service) throws SQLException {
        return query("SELECT count(*) FROM job_chunk WHERE state = 'running' AND lease_owner LIKE ?",
                "%-" + service.pid() + "-%");
    }

    /** The job is done, its counters exact, and the links table holds one link per valid item. */
    private static void exactlyOnce(ServiceProcess service, String token, int count) throws SQLException {
        JsonPath job = awaitFinal(service, token);
        assertThat(job.getString("status")).isEqualTo("done");
        int invalid = count / 100;
        assertThat(job.getInt("info.succeeded")).isEqualTo(count - invalid);
        assertThat(job.getInt("info.failed")).isEqualTo(invalid);
        assertThat(job.getInt("info.remaining")).isZero();
        UUID id = UUID.fromString(token);
        assertThat(query("SELECT count(*) FROM link WHERE job_token = ?", id)).isEqualTo(count - invalid);
        assertThat(query("SELECT count(DISTINCT item_index) FROM link WHERE job_token = ?", id))
                .as("no item written twice").isEqualTo(count - invalid);
        assertThat(query("SELECT count(*) FROM link WHERE job_token = ? AND item_index % 100 = 99", id)).isZero();
        assertThat(query("SELECT sum(succeeded) FROM job_chunk WHERE job_token = ?", id)).isEqualTo(count - invalid);
    }

    @Test
    void instanceKilledMidJobLosesNothing() throws Exception {
        ServiceProcess victim = ServiceProcess.start(dir.resolve("victim"), env);
        try {
            String token = submit(victim, 200_000);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() ->
                    runningChunksOf(victim) > 0 && job(survivor, token).getInt("info.succeeded") >= 20_000);

            victim.kill();

            assertThat(query("SELECT count(*) FROM job_chunk WHERE job_token = ? AND state = 'queued'",
                    UUID.fromString(token))).as("work was left when the victim died").isPositive();
            exactlyOnce(survivor, token, 200_000);
            assertThat(survivor.log()).contains("whose lease expired");
        } finally {
            victim.close();
        }
    }

    @Test
    void instanceStoppedWithSigtermHandsItsChunksBack() throws Exception {
        Map<String, String> quick = new HashMap<>(env);
        quick.put("BULKLINKS_WORKER_SHUTDOWN_GRACE", "1ms");
        ServiceProcess stopped = ServiceProcess.start(dir.resolve("stopped"), quick);
        try {
            String token = submit(stopped, 50_000);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> runningChunksOf(stopped) > 0);

            stopped.stop();

            assertThat(stopped.log()).contains("running chunks handed back");
            assertThat(runningChunksOf(stopped)).as("no lease left behind to expire").isZero();
            exactlyOnce(survivor, token, 50_000);
        } finally {
            stopped.close();
        }
    }

    @Test
    void databaseStoppedAndStartedUnderAJob() throws Exception {
        String token = submit(survivor, 100_000);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> job(survivor, token).getInt("info.succeeded") >= 10_000);
        int port = database.port();

        database.close();
        try {
            given().baseUri(survivor.baseUrl()).header("Authorization", survivor.bearer()).contentType("application/x-ndjson").body(ndjson(10).getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/p/shared/links/bulk")
                    .then().statusCode(503).body("success", equalTo(false)).header("Retry-After", "5");
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> given().baseUri(survivor.baseUrl()).get("/q/health/ready").statusCode() == 503);
        } finally {
            database = EmbeddedDatabase.open(dir.resolve("db"), false, false, Map.of(), port);
        }

        await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> given().baseUri(survivor.baseUrl()).get("/q/health/ready").statusCode() == 200);
        exactlyOnce(survivor, token, 100_000);
        assertThat(survivor.log()).doesNotContain("Unexpected error");
    }
}
