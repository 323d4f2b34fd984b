package dev.bulklinks.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.UnicatHttpClient;
import dev.bulklinks.fixtures.UnicatHttpClient.Answer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The calls Unicat's own client makes, in its order, over HTTP, as a member of the project: sign in
 * at {@code /api/p/<project>/auth}, {@code /sync/cursors}, then {@code records/bulk/link} with its body as
 * it sends it (no linkType), then its job tracker: {@code /sync/get {"cc_cursor"}} polled until the job's
 * item says {@code done}, with the client's rules on every answer; the links are there.
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
        String apiKey = Api.member("unicat", project, Map.of()).apiKey();

        UnicatHttpClient unicat = new UnicatHttpClient(base.toString(), project);
        Answer signedIn = unicat.connect(apiKey);
        assertThat(signedIn.status()).isEqualTo(200);
        assertThat(signedIn.result().path("project").asText()).isEqualTo(project);

        Answer cursors = unicat.request("POST", "/sync/cursors", "{}");
        assertThat(cursors.status()).isEqualTo(200);
        assertThat(cursors.result().path("cc.cursor").isIntegralNumber()).isTrue();

        Answer accepted = unicat.call("POST", "/records/bulk/link",
                "{\"parent\": \"" + desk + "\", \"selection\": [\"" + chair + "\", \"" + lamp + "\"]}");
        assertThat(accepted.status()).as("%s", accepted.body()).isEqualTo(202);
        assertThat(accepted.body().path("data").isObject()).isTrue();
        String token = accepted.result().path("job.token").asText();
        assertThat(accepted.result().size()).as("the result is {\"job.token\"} alone").isEqualTo(1);

        // The job tracker: items after the cc.cursor it holds, until the job's own item says done.
        AtomicReference<JsonNode> done = new AtomicReference<>();
        AtomicLong ccCursor = new AtomicLong(cursors.result().path("cc.cursor").asLong());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Answer page = unicat.request("POST", "/sync/get", "{\"cc_cursor\": " + ccCursor.get() + "}");
            assertThat(page.status()).as("%s", page.body()).isEqualTo(200);
            for (JsonNode item : page.result().path("sync")) {
                assertThat(item.path("cursor").isIntegralNumber()).as("an int cursor: %s", item).isTrue();
                assertThat(item.path("cursor").asLong()).isGreaterThan(ccCursor.get());
                assertThat(item.path("type").asText()).isEqualTo("cc");
                ccCursor.set(item.path("cursor").asLong());
                if (item.path("data_key").asText().equals(token) && item.path("data").path("status").asText().equals("done")) {
                    done.set(item);
                }
            }
            return done.get() != null;
        });
        JsonNode job = done.get().path("data");
        assertThat(job.path("job").asText()).isEqualTo("bulk_link_records");
        assertThat(job.path("project_gid").asText()).isEqualTo(project);
        assertThat(job.path("info").path("total").asInt()).isEqualTo(2);
        assertThat(job.path("info").path("remaining").asInt()).isZero();
        assertThat(job.path("info").path("succeeded").asInt()).isEqualTo(2);
        assertThat(job.has("created_on") && job.has("updated_on")).isTrue();

        Answer links = unicat.call("GET", "/links?input=" + desk, null);
        assertThat(links.result().findValuesAsText("output")).containsExactly(chair, lamp);
        assertThat(links.result().findValuesAsText("linkType")).containsOnly("link|record|record");
        assertThat(unicat.violations()).isEmpty();
    }
}
