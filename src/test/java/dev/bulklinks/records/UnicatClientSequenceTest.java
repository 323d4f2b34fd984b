package dev.bulklinks.records;

import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.UnicatHttpClient;
import dev.bulklinks.fixtures.UnicatHttpClient.Answer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The calls Unicat's own client makes, in its order, over HTTP, as a member of the project: sign in
 * at {@code /api/p/<project>/auth}, then {@code records/bulk/link} with its body as it sends it (no
 * linkType), then follow the job to {@code done}; the links are there. The job is followed through
 * its status here; following it through {@code /sync/get {"cc_cursor"}} is the sync protocol's test.
 */
@QuarkusTest
class UnicatClientSequenceTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void signInThenBulkLinkWithoutALinkTypeThenTheJobIsDoneAndTheLinksAreThere() {
        String project = Api.newProject();
        String desk = Api.entity(project, "record", "desk");
        String chair = Api.entity(project, "record", "chair");
        String lamp = Api.entity(project, "record", "lamp");
        String user = json().body(Map.of("name", "unicat-" + UUID.randomUUID().toString().substring(0, 8)))
                .post("/api/admin/users").then().statusCode(201).extract().path("result.id");
        String apiKey = json().body(Map.of()).post("/api/admin/users/{u}/keys", user).then().statusCode(201)
                .extract().path("result.api_key");
        json().body(Map.of()).put("/api/admin/users/{u}/projects/{p}", user, project).then().statusCode(200);

        UnicatHttpClient unicat = new UnicatHttpClient(base.toString(), project);
        Answer signedIn = unicat.connect(apiKey);
        assertThat(signedIn.status()).isEqualTo(200);
        assertThat(signedIn.result().path("project").asText()).isEqualTo(project);

        Answer accepted = unicat.call("POST", "/records/bulk/link",
                "{\"parent\": \"" + desk + "\", \"selection\": [\"" + chair + "\", \"" + lamp + "\"]}");
        assertThat(accepted.status()).as("%s", accepted.body()).isEqualTo(202);
        assertThat(accepted.body().path("data").isObject()).isTrue();
        String token = accepted.result().path("job.token").asText();
        assertThat(accepted.result().size()).as("the result is {\"job.token\"} alone").isEqualTo(1);

        AtomicReference<Answer> status = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            status.set(unicat.call("GET", "/jobs/" + token, null));
            return List.of("done", "rejected").contains(status.get().result().path("status").asText());
        });
        assertThat(status.get().result().path("status").asText()).isEqualTo("done");
        assertThat(status.get().result().path("info").path("succeeded").asInt()).isEqualTo(2);

        Answer links = unicat.call("GET", "/links?input=" + desk, null);
        assertThat(links.result().findValuesAsText("output")).containsExactly(chair, lamp);
        assertThat(links.result().findValuesAsText("linkType")).containsOnly("link|record|record");
        assertThat(unicat.violations()).isEmpty();
    }
}
