package dev.bulklinks.worker;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.HeldLinks;
import dev.bulklinks.fixtures.SignedIn;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Readiness goes down while a worker is stuck on one chunk, and up once it moves on. The chunk is
 * held for real ({@link HeldLinks}).
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

    @Test
    void readinessIsDownWhileAWorkerIsStuckOnAChunk() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project(), a = pair.a(), b = pair.b();
        assertThat(readiness()).isEqualTo(200);

        try (HeldLinks held = HeldLinks.hold(dataSource)) {
            String token = Api.submit(project, "/links/bulk",
                    Map.of("links", List.of(Map.of("input", a, "output", b, "linkType", BREAKDOWN, "name", HeldLinks.NAME))));
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 503);
            JsonPath health = RestAssured.given().header(SignedIn.ANONYMOUS, "1").get("/q/health/ready")
                    .then().extract().jsonPath();
            assertThat(health.getString("checks.find { it.name == 'Worker loop' }.status")).isEqualTo("DOWN");
            assertThat(health.getString("checks.find { it.name == 'Worker loop' }.data.problems"))
                    .contains("has been running one chunk for");

            held.release();
            assertThat(Api.awaitFinal(project, token).getString("status")).isEqualTo("done");
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 200);
        }
    }
}
