package dev.bulklinks.worker;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SignedIn;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Readiness goes down while a worker is stuck on one chunk, and up once it moves on. The chunk is
 * held for real: a trigger on the links table waits for an advisory lock the test holds.
 */
@QuarkusTest
@TestProfile(StuckWorkerTest.StuckAfterOneSecond.class)
class StuckWorkerTest {

    public static class StuckAfterOneSecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bulklinks.worker.stuck-after", "1s");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    private static int readiness() {
        return RestAssured.given().header(SignedIn.ANONYMOUS, "1").get("/q/health/ready").statusCode();
    }

    private static void sql(Statement s, String statement) throws Exception {
        s.execute(statement);
    }

    @Test
    void readinessIsDownWhileAWorkerIsStuckOnAChunk() throws Exception {
        String project = Api.newProject();
        Api.registerType(project, BREAKDOWN);
        String a = Api.entity(project, "folder", "a");
        String b = Api.entity(project, "folder", "b");
        assertThat(readiness()).isEqualTo(200);

        try (Connection holder = dataSource.getConnection(); Statement s = holder.createStatement()) {
            sql(s, """
                    CREATE OR REPLACE FUNCTION test_hold() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.name = 'hold' THEN
                            PERFORM pg_advisory_lock(4242);
                            PERFORM pg_advisory_unlock(4242);
                        END IF;
                        RETURN NEW;
                    END $$""");
            sql(s, "CREATE OR REPLACE TRIGGER test_hold BEFORE INSERT ON link FOR EACH ROW EXECUTE FUNCTION test_hold()");
            sql(s, "SELECT pg_advisory_lock(4242)");
            try {
                String token = Api.submit(project, "/links/bulk",
                        Map.of("links", List.of(Map.of("input", a, "output", b, "linkType", BREAKDOWN, "name", "hold"))));
                await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 503);
                JsonPath health = RestAssured.given().header(SignedIn.ANONYMOUS, "1").get("/q/health/ready")
                        .then().extract().jsonPath();
                assertThat(health.getString("checks.find { it.name == 'Worker loop' }.status")).isEqualTo("DOWN");
                assertThat(health.getString("checks.find { it.name == 'Worker loop' }.data.problems"))
                        .contains("has been running one chunk for");

                sql(s, "SELECT pg_advisory_unlock(4242)");
                assertThat(Api.awaitFinal(project, token).getString("status")).isEqualTo("done");
                await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 200);
            } finally {
                sql(s, "SELECT pg_advisory_unlock_all()");
                sql(s, "DROP TRIGGER IF EXISTS test_hold ON link");
                sql(s, "DROP FUNCTION IF EXISTS test_hold()");
            }
        }
    }
}
