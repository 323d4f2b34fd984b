package dev.bulklinks.intake;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SlowUpload;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Clients on slow networks hold no database connection: forty bodies arriving a byte a second leave
 * the service answering, the workers working and the pool nearly idle; bodies that stall are refused
 * with 408 and leave nothing; one body over the instance's limit is refused with 503.
 */
@QuarkusTest
@TestProfile(SlowUploadTest.Limits.class)
class SlowUploadTest {

    /** Room for exactly the forty slow bodies and one more; a short idle timeout. */
    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bulklinks.intake.max-concurrent", "41", "bulklinks.intake.idle-timeout", "5s",
                    "bulklinks.auth.submissions-per-minute", "1000");
        }
    }

    private static final int SLOW = 40;
    private static final int STALLING = 10;
    /**
     * The test profile's workers: the pool may be busy with them, the feed listener's LISTEN, the
     * queue gauge and a request or two, never with the forty uploads.
     */
    private static final int WORKERS = 4;

    @TestHTTPResource
    URL base;

    /** Connections the service's pool has lent out now, from its own metrics. */
    private static double poolBusy() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher line = Pattern.compile("(?m)^agroal_active_count\\{[^}]*} (\\S+)$").matcher(metrics);
        assertThat(line.find()).as("agroal_active_count in /q/metrics").isTrue();
        return Double.parseDouble(line.group(1));
    }

    private static List<String> jobsOf(String project) {
        return json().queryParam("limit", 1000).get("/api/p/{p}/jobs", project).then().statusCode(200).extract()
                .path("result.jobs.'job.token'");
    }

    @Test
    void fortySlowBodiesHoldNoConnectionAndStalledOnesGet408() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project();
        String line = "{\"input\":\"" + pair.a() + "\",\"output\":\"" + pair.b() + "\",\"linkType\":\"" + BREAKDOWN + "\"}\n";
        String path = "/api/p/" + project + "/links/bulk";
        List<SlowUpload> uploads = new ArrayList<>();
        List<Double> busy = new CopyOnWriteArrayList<>();
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < SLOW; i++) {
                uploads.add(new SlowUpload(base, path, "application/x-ndjson", ""));
            }
            // A byte a second on every body: blanks, which NDJSON allows between lines.
            pace.scheduleAtFixedRate(() -> {
                for (SlowUpload upload : uploads) {
                    try {
                        upload.send(" ");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, 0, 1, TimeUnit.SECONDS);

            // Meanwhile the service answers, its workers finish a job, and its pool stays nearly idle.
            for (int round = 0; round < 3; round++) {
                json().get("/api/p/{p}/jobs", project).then().statusCode(200);
                given().get("/q/health/ready").then().statusCode(200);
                String token = Api.ndjson().body(line).post(path).then().statusCode(202).extract()
                        .path("result.'job.token'");
                assertThat(Api.awaitFinal(project, token).getString("status")).isEqualTo("done");
                busy.add(poolBusy());
            }
            assertThat(busy).allMatch(n -> n <= WORKERS + 4, "at most the workers, the listener and a few requests");

            // The forty-first body takes the last slot; the forty-second is an overload.
            try (SlowUpload last = new SlowUpload(base, path, "application/x-ndjson", "")) {
                last.send(" ");
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    io.restassured.response.Response refused = Api.ndjson().body(line).post(path);
                    if (refused.statusCode() == 202) {
                        Api.awaitFinal(project, refused.path("result.'job.token'"));
                        return false; // the forty-first had not arrived yet: that one went through
                    }
                    assertThat(refused.statusCode()).isEqualTo(503);
                    assertThat(refused.header("Retry-After")).isNotBlank();
                    assertThat(refused.jsonPath().getInt("result.code")).isEqualTo(503);
                    assertThat(refused.jsonPath().getString("result.message")).contains("41 bulk bodies");
                    return true;
                });
            }
            int jobsBefore = jobsOf(project).size();

            pace.shutdownNow();
            pace.awaitTermination(10, TimeUnit.SECONDS);
            for (int i = STALLING; i < SLOW; i++) {
                uploads.get(i).send(line);
                uploads.get(i).end();
            }
            List<String> accepted = new ArrayList<>();
            for (int i = 0; i < SLOW; i++) {
                SlowUpload.Answer answer = uploads.get(i).answer();
                if (i < STALLING) {
                    assertThat(answer.status()).as("a stalled body").isEqualTo(408);
                    assertThat(JsonPath.from(answer.body()).getString("result.message"))
                            .contains("No byte of the body arrived", "nothing was stored");
                } else {
                    assertThat(answer.status()).as("a slow body that ended: %s", answer.body()).isEqualTo(202);
                    accepted.add(JsonPath.from(answer.body()).getString("result.'job.token'"));
                }
            }
            for (String token : accepted) {
                JsonPath job = Api.awaitFinal(project, token);
                assertThat(job.getInt("info.total")).isEqualTo(1);
                assertThat(job.getInt("info.succeeded")).isEqualTo(1);
            }
            // The stalled bodies left no job: only the thirty that ended were added.
            assertThat(jobsOf(project)).hasSize(jobsBefore + SLOW - STALLING).containsAll(accepted);
        } finally {
            pace.shutdownNow();
            for (SlowUpload upload : uploads) {
                upload.close();
            }
        }
    }

    @Test
    void aBodyThatStallsIs408AndLeavesNoJob() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String line = "{\"input\":\"" + pair.a() + "\",\"output\":\"" + pair.b() + "\",\"linkType\":\"" + BREAKDOWN + "\"}\n";
        try (SlowUpload upload = new SlowUpload(base, "/api/p/" + pair.project() + "/links/bulk",
                "application/x-ndjson", "")) {
            upload.send(line.repeat(150)); // two chunks whole, the third begun
            SlowUpload.Answer answer = upload.answer();
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.headers()).containsIgnoringCase("connection: close");
            assertThat(JsonPath.from(answer.body()).getInt("result.code")).isEqualTo(408);
        }
        assertThat(jobsOf(pair.project())).isEmpty();
    }
}
