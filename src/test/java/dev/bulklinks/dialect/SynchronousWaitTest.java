package dev.bulklinks.dialect;

import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.fixtures.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The synchronous routes over held jobs: past bulklinks.dialects.wait the answer is 202 with a token
 * whose job then ends done, and 200 requests waiting at once hold no database connection.
 */
@QuarkusTest
@TestProfile(SynchronousWaitTest.FortySecondWait.class)
class SynchronousWaitTest {

    /** A wait long enough for 200 requests to be waiting at once on a busy machine. */
    public static class FortySecondWait implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bulklinks.dialects.wait", "40s");
        }
    }

    /** Requests are sent this many at a time: at most bulklinks.intake.max-concurrent are stored at once (503 beyond). */
    private static final int BATCH = 20;
    /** Longer than the profile's wait: rest-assured gives up after 30 s. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    private static final String OWNS = "owns|person|vehicle";
    /** The test profile's worker threads ({@code %test.bulklinks.worker.threads}). */
    private static final int WORKERS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    JobWait wait;

    @TestHTTPResource("/")
    URL base;

    /**
     * Holds every job that writes links: a transaction that keeps the link table locked against writes
     * until it is closed. Workers that claim a chunk wait in its insert.
     */
    private AutoCloseable holdLinkWrites() throws Exception {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            s.execute("LOCK TABLE link IN SHARE MODE");
        }
        return () -> {
            try {
                connection.rollback();
            } finally {
                connection.close();
            }
        };
    }

    private static Map<String, Object> item(String fromId, String toId) {
        return Map.of("relationshipTypeName", "owns", "fromEntityType", "person", "fromId", fromId,
                "toEntityType", "vehicle", "toId", toId);
    }

    @Test
    void pastTheWaitTheAnswerIs202WithATokenWhoseJobThenEndsDone() throws Exception {
        String project = Api.newProject();
        Api.registerType(project, OWNS);
        String person = Api.entity(project, "person", "Ann");
        String car = Api.entity(project, "vehicle", "car");
        HttpResponse<String> answer;
        try (AutoCloseable held = holdLinkWrites()) {
            answer = post(project, Api.member("late", project, Map.of()).bearer(), item(person, car)).get();
        }

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(answer.headers().firstValue("Preference-Applied")).isEmpty();
        JsonNode accepted = JSON.readTree(answer.body());
        assertThat(accepted.path("success").asBoolean()).isTrue();
        String token = accepted.path("result").path("job.token").asText();
        String location = answer.headers().firstValue("Location").orElseThrow();
        assertThat(location).endsWith("/api/p/" + project + "/jobs/" + token);
        assertThat(Api.awaitFinal(project, token).getString("status")).isEqualTo("done");
        assertThat(json().get(location + "/results").then().statusCode(200).extract()
                .<List<String>>path("result.items.operation")).containsExactly("CREATE");
    }

    private CompletableFuture<HttpResponse<String>> post(String project, String bearer, Map<String, Object> item)
            throws Exception {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "sas/p/" + project + "/links/bulk"))
                .header("Content-Type", "application/json").header("Authorization", bearer)
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of("items", List.of(item)))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twoHundredRequestsWaitingAtOnceHoldNoDatabaseConnection() throws Exception {
        String project = Api.newProject();
        Api.registerType(project, OWNS);
        String person = Api.entity(project, "person", "Ann");
        String car = Api.entity(project, "vehicle", "car");
        // Two keys: one may submit 120 jobs a minute (bulklinks.auth.submissions-per-minute).
        List<String> bearers = List.of(Api.member("wait", project, Map.of()).bearer(),
                Api.member("wait", project, Map.of()).bearer());
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        AtomicLong mostInUse = new AtomicLong();
        try (AutoCloseable held = holdLinkWrites()) {
            while (answers.size() < 200) {
                for (int i = 0; i < BATCH; i++) {
                    answers.add(post(project, bearers.get(answers.size() % 2), item(person, car)));
                }
                int sent = answers.size();
                await().atMost(Duration.ofSeconds(30)).until(() -> wait.waiting() == sent
                        || answers.stream().anyMatch(CompletableFuture::isDone));
                assertThat(answers).as("every request sent so far still waits").noneMatch(CompletableFuture::isDone);
            }

            dataSource.getMetrics().reset();
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> {
                mostInUse.accumulateAndGet(dataSource.getMetrics().activeCount(), Math::max);
                return wait.waiting() == 200;
            });
            mostInUse.accumulateAndGet(dataSource.getMetrics().maxUsedCount(), Math::max);
        }
        long most = mostInUse.get();
        // The workers' blocked chunks, the feed listener, this test's lock, and a lease renewal or rescue at most.
        assertThat(most).as("connections in use while 200 requests wait").isLessThanOrEqualTo(WORKERS + 4);

        for (CompletableFuture<HttpResponse<String>> pending : answers) {
            HttpResponse<String> response = pending.get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode answer = JSON.readTree(response.body());
            assertThat(answer.path("count").asInt()).isEqualTo(1);
            assertThat(answer.path("items").path(0).path("operation").asText()).isEqualTo("CREATE");
        }
        System.out.printf("200 synchronous requests waiting: at most %d database connections in use%n", most);
    }
}
