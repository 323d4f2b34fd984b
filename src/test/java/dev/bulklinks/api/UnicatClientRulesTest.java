package dev.bulklinks.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SignedIn;
import dev.bulklinks.fixtures.UnicatHttpClient;
import dev.bulklinks.fixtures.UnicatHttpClient.Answer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Walks the API's routes, answers and refusals as Unicat's own client, which must be able to read
 * every one: the envelope with {@code data} an object of Unicat's keys only, errors as
 * {@code {code, message, info}}, no result key {@code cursor} or {@code cc.cursor} but from the
 * sign-in and the sync cursors, WWW-Authenticate on 401 only, a bare token in Authorization, and no 500.
 */
@QuarkusTest
class UnicatClientRulesTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void everyAnswerIsOneUnicatsClientCanRead() {
        String project = Api.newProject();
        UnicatHttpClient client = new UnicatHttpClient(base.toString(), project);
        assertThat(client.connect(SignedIn.ADMIN_KEY).status()).isEqualTo(200);
        assertThat(client.token()).isNotNull();

        // Projects and link types.
        expect(client.request("GET", "/api/projects", null), 200);
        expect(client.request("GET", "/api/projects/" + project, null), 200);
        expect(client.request("PATCH", "/api/projects/" + project, "{\"default_link_type\": \"link\"}"), 200);
        expect(client.request("POST", "/api/projects", "{\"name\": \"" + project + "\"}"), 409);
        expect(client.call("PUT", "/links/types/breakdown%7Cfolder%7Cfolder", "{}"), 201);
        expect(client.call("GET", "/links/types", null), 200);

        // Entities and links one at a time, pages with a next page.
        String a = expect(client.call("POST", "/entities", "{\"type\": \"folder\", \"name\": \"a\"}"), 201).path("id").asText();
        String b = expect(client.call("POST", "/entities", "{\"type\": \"folder\", \"name\": \"b\"}"), 201).path("id").asText();
        expect(client.call("GET", "/entities/" + a, null), 200);
        JsonNode page = expect(client.call("GET", "/entities?limit=1", null), 200);
        assertThat(page.path("next_cursor").asText()).as("a first page names the next").isNotEmpty();
        expect(client.call("GET", "/entities?limit=1&cursor=" + page.path("next_cursor").asText(), null), 200);
        String link = expect(client.call("POST", "/links", link(a, b)), 201).path("id").asText();
        expect(client.call("POST", "/links", link(a, b)), 201);
        expect(client.call("GET", "/links/" + link, null), 200);
        assertThat(expect(client.call("GET", "/links?input=" + a + "&limit=1", null), 200).path("next_cursor").asText())
                .isNotEmpty();
        expect(client.call("DELETE", "/links/" + link, null), 200);

        // Jobs: every kind, their status, lists, results and a refused cancel.
        String job = expect(client.call("POST", "/links/bulk", "{\"links\": [" + link(a, b) + "]}"), 202)
                .path("job.token").asText();
        String delete = expect(client.call("POST", "/links/bulk/delete", "{\"ids\": [\"" + UUID.randomUUID() + "\"]}"), 202)
                .path("job.token").asText();
        String entities = expect(client.call("POST", "/entities/bulk", "{\"entities\": [{\"type\": \"folder\","
                + " \"name\": \"c\"}]}"), 202).path("job.token").asText();
        String records = expect(client.call("POST", "/records/bulk/link", "{\"parent\": \"" + a + "\", \"selection\": [\""
                + b + "\"]}"), 202).path("job.token").asText();
        for (String token : new String[] {job, delete, entities, records}) {
            await().atMost(Duration.ofSeconds(60)).until(() -> client.call("GET", "/jobs/" + token, null).result()
                    .path("status").asText().equals("done"));
        }
        expect(client.call("GET", "/jobs?limit=1", null), 200);
        expect(client.call("GET", "/jobs/counts", null), 200);
        expect(client.call("GET", "/jobs/activity", null), 200);
        expect(client.call("GET", "/jobs/" + job + "/results", null), 200);
        // The sync protocol: its cursors are the client's to take; a bad cursor is a refusal it can read.
        JsonNode cursors = expect(client.request("POST", "/sync/cursors", "{}"), 200);
        expect(client.request("POST", "/sync/get", "{\"cc_cursor\": 0, \"project\": \"" + project + "\", \"cursor\": "
                + cursors.path("cursor").asLong() + "}"), 200);
        expect(client.request("POST", "/sync/get", "{\"cc_cursor\": -1}"), 400);
        expect(client.request("POST", "/sync/get", "{\"cc_cursor\": " + (cursors.path("cc.cursor").asLong() + 1000) + "}"), 410);
        expect(client.call("POST", "/jobs/" + job + "/cancel", null), 409);

        // Admin routes.
        String user = expect(client.request("POST", "/api/admin/users", "{\"name\": \"u" + project + "\"}"), 201)
                .path("id").asText();
        expect(client.request("GET", "/api/admin/users", null), 200);
        JsonNode key = expect(client.request("POST", "/api/admin/users/" + user + "/keys", "{}"), 201);
        expect(client.request("PUT", "/api/admin/users/" + user + "/projects/" + project, "{}"), 200);

        // Refusals, each in the envelope.
        expect(client.call("GET", "/jobs/" + UUID.randomUUID(), null), 404);
        expect(client.call("GET", "/nothing/here", null), 404);
        expect(client.request("DELETE", "/api/projects", null), 405);
        expect(client.raw("POST", "/api/p/" + project + "/entities", "text/plain", "hello"), 415);
        expect(client.call("POST", "/entities", "{\"type\": "), 400);
        expect(client.call("POST", "/records/bulk/link", "{\"parent\": \"" + a + "\", \"selection\": []}"), 422);
        expect(client.call("POST", "/links", "{\"input\": \"" + a + "\", \"output\": \"" + b
                + "\", \"linkType\": \"other|folder|folder\"}"), 422);
        expect(client.call("GET", "/entities?cursor=zzz", null), 400);

        // A member: an admin route is 403, and keeps the token; a forged token is 401 and drops it.
        UnicatHttpClient member = new UnicatHttpClient(base.toString(), project);
        expect(member.connect(key.path("api_key").asText()), 200);
        expect(member.request("GET", "/api/admin/users", null), 403);
        assertThat(member.token()).isNotNull();
        expect(new UnicatHttpClient(base.toString(), project).connect("blk_not-a-key"), 403);
        expect(new UnicatHttpClient(base.toString(), "nosuchproject").connect(key.path("api_key").asText()), 403);
        expect(new UnicatHttpClient(base.toString(), project).connect(null), 400);
        expect(client.request("DELETE", "/api/admin/keys/" + key.path("id").asText(), null), 200);
        expect(member.call("GET", "/links", null), 401);
        assertThat(member.token()).as("the 401's challenge drops the token").isNull();

        assertThat(client.violations()).as("answers Unicat's client could not take").isEmpty();
        assertThat(member.violations()).as("answers Unicat's client could not take").isEmpty();
    }

    private static String link(String input, String output) {
        return "{\"input\": \"" + input + "\", \"output\": \"" + output + "\", \"linkType\": \"breakdown|folder|folder\"}";
    }

    /** The answer has {@code status}; answers its result. */
    private static JsonNode expect(Answer answer, int status) {
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(status);
        return answer.result();
    }
}
