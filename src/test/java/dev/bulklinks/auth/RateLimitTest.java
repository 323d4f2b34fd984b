package dev.bulklinks.auth;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A key over its submissions per minute gets 429 with Retry-After; other keys go on. */
@QuarkusTest
@TestProfile(RateLimitTest.ThreeAMinute.class)
class RateLimitTest {

    public static class ThreeAMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bulklinks.auth.submissions-per-minute", "3");
        }
    }

    @Test
    void theFourthSubmissionInAMinuteIs429WithRetryAfter() {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project(), a = pair.a(), b = pair.b();
        String bearer = Api.member("busy", project, Map.of()).bearer();
        Map<String, Object> body = Map.of("links", List.of(Api.link(a, b, BREAKDOWN)));

        for (int i = 0; i < 3; i++) {
            json().header("Authorization", bearer).body(body).post("/api/p/{p}/links/bulk", project).then().statusCode(202);
        }
        Response refused = json().header("Authorization", bearer).body(body).post("/api/p/{p}/links/bulk", project);
        refused.then().statusCode(429).body("result.code", equalTo(429))
                .body("result.message", startsWith("This API key submitted 3 jobs in the last minute"));
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(1, 61);

        json().body(body).post("/api/p/{p}/links/bulk", project).then() // the admin's key has its own count
                .statusCode(202);
    }
}
