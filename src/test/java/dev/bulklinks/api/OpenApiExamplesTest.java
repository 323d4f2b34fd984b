package dev.bulklinks.api;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SignedIn;
import dev.bulklinks.fixtures.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document's examples are the service's real answers: every route has examples of its
 * bodies and answers, and walking the API with the documented request bodies (their ids swapped for
 * real ones) gets answers with exactly the fields of the documented examples, down to nested ones.
 */
@QuarkusTest
class OpenApiExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The ids the examples use, as written in them. */
    private static final String PARENT = "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71";
    private static final String CHILD = "0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40";
    private static final String MISSING = "00000000-0000-4000-8000-000000000000";

    @TestHTTPResource("/")
    URL base;
    JsonNode doc;

    @BeforeEach
    void readDocument() throws Exception {
        doc = JSON.readTree(RestAssured.given().header(SignedIn.ANONYMOUS, "1").queryParam("format", "json")
                .get("/q/openapi").then().statusCode(200).extract().asString());
    }

    @Test
    void everyParameterBodyAndAnswerHasAnExample() {
        List<String> missing = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String route = op.getKey().toUpperCase() + " " + path.getKey();
            op.getValue().path("parameters").forEach(parameter -> {
                if (parameter.path("description").asText().isBlank() || !parameter.has("example")) {
                    missing.add(route + " parameter " + parameter.path("name").asText());
                }
            });
            op.getValue().path("requestBody").path("content").fields().forEachRemaining(media -> {
                if (!hasExample(media.getValue(), media.getKey())) {
                    missing.add(route + " request " + media.getKey());
                }
            });
            op.getValue().path("responses").fields().forEachRemaining(answer -> answer.getValue().path("content")
                    .fields().forEachRemaining(media -> {
                        if (!hasExample(media.getValue(), media.getKey())) {
                            missing.add(route + " " + answer.getKey() + " " + media.getKey());
                        }
                    }));
            assertThat(op.getValue().path("responses").fieldNames()).toIterable().as("answers of %s", route)
                    .anyMatch(status -> status.startsWith("2") || status.startsWith("3"));
        }));
        assertThat(missing).as("parameters without a description or example, bodies and answers without an example"
                + " (or with a JSON example that is not JSON)")
                .isEmpty();
    }

    @Test
    void walkingTheApiWithTheDocumentedBodiesGivesTheDocumentedAnswers() throws Exception {
        String project = "examples" + UUID.randomUUID().toString().substring(0, 8);
        answers("POST", "/api/projects", null, 201,
                json().body(request("POST", "/api/projects").replace("\"demo\"", "\"" + project + "\""))
                        .post("/api/projects"));
        answers("GET", "/api/projects/{project}", null, 200, json().get("/api/projects/{p}", project));
        answers("GET", "/api/projects", null, 200, json().get("/api/projects"));
        answers("PATCH", "/api/projects/{project}", null, 200,
                json().body(request("PATCH", "/api/projects/{project}")).patch("/api/projects/{p}", project));

        String type = "/api/p/{project}/links/types/{type}";
        answers("PUT", type, "registered", 201, json().body(request("PUT", type)).put("/api/p/{p}/links/types/{t}", project, BREAKDOWN));
        answers("PUT", type, "replaced", 200, json().body(request("PUT", type)).put("/api/p/{p}/links/types/{t}", project, BREAKDOWN));
        answers("GET", "/api/p/{project}/links/types", null, 200, json().get("/api/p/{p}/links/types", project));

        String parent = Api.entity(project, "folder", "shots");
        String entities = "/api/p/{project}/entities";
        Response created = json().body(swap(request("POST", entities), parent, null)).post("/api/p/{p}/entities", project);
        answers("POST", entities, null, 201, created);
        String child = created.path("result.id");
        answers("GET", entities + "/{id}", null, 200, json().get("/api/p/{p}/entities/{id}", project, child));
        answers("GET", entities, null, 200, json().get("/api/p/{p}/entities?limit=1", project));

        String links = "/api/p/{project}/links";
        created = json().body(swap(request("POST", links), parent, child)).post("/api/p/{p}/links", project);
        answers("POST", links, null, 201, created);
        String link = created.path("result.id");
        answers("GET", links + "/{id}", null, 200, json().get("/api/p/{p}/links/{id}", project, link));
        answers("GET", links, null, 200, json().get("/api/p/{p}/links?input={i}&limit=1", project, parent));
        answers("DELETE", links + "/{id}", null, 200, json().delete("/api/p/{p}/links/{id}", project, link));

        // The documented bulk body runs as documented; a job with a failure shows every field of the results.
        String bulk = links + "/bulk";
        Response accepted = json().body(swap(request("POST", bulk), parent, child)).post("/api/p/{p}/links/bulk", project);
        answers("POST", bulk, null, 202, accepted);
        assertThat(Api.awaitFinal(project, accepted.path("result.'job.token'")).getInt("info.succeeded")).isEqualTo(2);
        Response cursors = json().body(request("POST", "/sync/cursors")).post("/sync/cursors");
        answers("POST", "/sync/cursors", null, 200, cursors);
        long before = cursors.jsonPath().getLong("result.'cc.cursor'");
        String token = Api.submit(project, "/links/bulk", Map.of("links", List.of(link(parent, child, BREAKDOWN),
                link(parent, MISSING, BREAKDOWN))));
        assertThat(Api.awaitFinal(project, token).getString("status")).isEqualTo("done");
        String jobs = "/api/p/{project}/jobs";
        answers("GET", jobs + "/{token}", null, 200, json().get("/api/p/{p}/jobs/{t}", project, token));
        answers("POST", jobs + "/{token}/cancel", null, 200, json().get("/api/p/{p}/jobs/{t}", project, token));
        answers("GET", jobs, null, 200, json().get("/api/p/{p}/jobs?limit=1", project));
        answers("GET", jobs + "/counts", null, 200, json().get("/api/p/{p}/jobs/counts", project));
        answers("GET", jobs + "/activity", null, 200, json().get("/api/p/{p}/jobs/activity", project));
        answers("GET", jobs + "/{token}/results", null, 200, json().get("/api/p/{p}/jobs/{t}/results", project, token));
        assertThat(linesShape(RestAssured.given().get("/api/p/{p}/jobs/{t}/results.ndjson", project, token).then().statusCode(200)
                .extract().asString())).isEqualTo(linesShape(example("GET", jobs + "/{token}/results.ndjson", "200",
                "application/x-ndjson").asText()));
        answers("GET", jobs + "/{token}", null, 404,
                json().get("/api/p/{p}/jobs/{t}", project, UUID.randomUUID()));

        String feedRequest = request("POST", "/sync/get").replace("40", Long.toString(before))
                .replace("\"demo\"", "\"" + project + "\"");
        answers("POST", "/sync/get", null, 200, json().body(feedRequest).post("/sync/get"));
        try (SseClient stream = SseClient.open(base + "sync/stream?project=" + project + "&cursor=" + before, null)) {
            List<SseClient.Event> events = stream.until(e -> e.data().contains("\"status\":\"done\""), WAIT);
            assertThat(eventsShape(events)).isEqualTo(eventsShape(example("GET", "/sync/stream", "200", "text/event-stream").asText()));
        }
        try (SseClient stream = SseClient.open(base + "api/p/" + project + "/jobs/" + token + "/events", null)) {
            List<SseClient.Event> events = stream.until(e -> false, WAIT);
            assertThat(stream.ended(WAIT)).isTrue();
            assertThat(eventsShape(events)).isEqualTo(
                    eventsShape(example("GET", jobs + "/{token}/events", "200", "text/event-stream").asText()));
        }

        String users = "/api/admin/users";
        Response user = json().body(request("POST", users).replace("\"pipeline\"", "\"u" + project + "\"")).post(users);
        answers("POST", users, null, 201, user);
        String userId = user.path("result.id");
        answers("GET", users, null, 200, json().get(users));
        Response key = json().body(request("POST", users + "/{user}/keys")).post(users + "/{u}/keys", userId);
        answers("POST", users + "/{user}/keys", null, 201, key);
        answers("POST", "/api/auth", null, 200, json().body(request("POST", "/api/auth")
                .replaceAll("blk_[A-Za-z0-9_-]+", key.path("result.api_key"))).post("/api/auth"));
        String membership = users + "/{user}/projects/{project}";
        answers("PUT", membership, null, 200, json().body(request("PUT", membership)).put(users + "/{u}/projects/{p}", userId, project));
        String projectSignIn = request("POST", "/api/p/{project}/auth").replaceAll("blk_[A-Za-z0-9_-]+", key.path("result.api_key"));
        answers("POST", "/api/p/{project}/auth", null, 200, json().header(SignedIn.ANONYMOUS, "1").body(projectSignIn)
                .post("/api/p/{p}/auth", project));
        answers("DELETE", membership, null, 200, json().delete(users + "/{u}/projects/{p}", userId, project));
        answers("POST", "/api/p/{project}/auth", null, 403, json().header(SignedIn.ANONYMOUS, "1").body(projectSignIn)
                .post("/api/p/{p}/auth", project));
        answers("DELETE", "/api/admin/keys/{key}", null, 200, json().delete("/api/admin/keys/{k}", key.<String>path("result.id")));

        String webhooks = "/api/p/{project}/webhooks";
        String webhook = json().body(request("POST", webhooks).replace("https://hooks.example.com", "http://127.0.0.1:9"))
                .post("/api/p/{p}/webhooks", project).then().extract().path("result.id");
        answers("POST", webhooks, null, 201, json().body(request("POST", webhooks)
                .replace("https://hooks.example.com", "http://127.0.0.1:9")).post("/api/p/{p}/webhooks", project));
        answers("GET", webhooks + "/{id}", null, 200, json().get("/api/p/{p}/webhooks/{id}", project, webhook));
        answers("DELETE", webhooks + "/{id}", null, 200, json().delete("/api/p/{p}/webhooks/{id}", project, webhook));
        answers("GET", webhooks, null, 200, json().get("/api/p/{p}/webhooks", project));
        answers("POST", webhooks, "host not allowed", 400, json().body(request("POST", webhooks))
                .post("/api/p/{p}/webhooks", project));
        for (String left : json().get("/api/p/{p}/webhooks", project).then().extract().<List<String>>path("result.webhooks.id")) {
            json().delete("/api/p/{p}/webhooks/{id}", project, left).then().statusCode(200); // no deliveries to port 9
        }
        answers("DELETE", type, null, 200, json().delete("/api/p/{p}/links/types/{t}", project, BREAKDOWN));
        RestAssured.given().redirects().follow(false).get("/dashboard").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/dashboard/"));

        // Last, as their jobs would add events to the feed read above: the NDJSON examples are taken.
        for (String path : List.of(bulk, bulk + "/delete", entities + "/bulk")) {
            String ndjson = operation("POST", path).path("requestBody").path("content").path("application/x-ndjson")
                    .path("examples").elements().next().path("value").asText();
            String job = Api.ndjson().body(ndjson).post(path.replace("{project}", project)).then().statusCode(202)
                    .extract().path("result.'job.token'");
            Api.awaitFinal(project, job); // so that no job of this test is left running for the next
        }
        // The documented retry of the job with a failed item (404) makes a job of that item.
        Response retried = json().body(request("POST", jobs + "/{token}/retry"))
                .post("/api/p/{p}/jobs/{t}/retry", project, token);
        answers("POST", jobs + "/{token}/retry", null, 202, retried);
        assertThat(Api.awaitFinal(project, retried.path("result.'job.token'")).getInt("info.total")).isEqualTo(1);
        answers("POST", jobs + "/{token}/retry", null, 409, json().body(Map.of("codes", List.of(409)))
                .post("/api/p/{p}/jobs/{t}/retry", project, token));
    }

    /** The answer has the status, and exactly the fields of the documented example for it. */
    private void answers(String method, String path, String name, int status, Response answer) throws Exception {
        answer.then().statusCode(status);
        JsonNode example = example(method, path, Integer.toString(status), "application/json", name);
        assertThat(shape(JSON.readTree(answer.asString()))).as("%s %s answering %d", method, path, status)
                .isEqualTo(shape(example));
    }

    /** The documented request body, as text. */
    private String request(String method, String path) {
        JsonNode media = operation(method, path).path("requestBody").path("content").path("application/json");
        return first(media).toString();
    }

    private JsonNode example(String method, String path, String status, String mediaType) {
        return example(method, path, status, mediaType, null);
    }

    private JsonNode example(String method, String path, String status, String mediaType, String name) {
        JsonNode media = operation(method, path).path("responses").path(status).path("content").path(mediaType);
        assertThat(media.isMissingNode()).as("%s %s documents %s %s", method, path, status, mediaType).isFalse();
        return name == null ? first(media) : media.path("examples").path(name).path("value");
    }

    private JsonNode operation(String method, String path) {
        JsonNode operation = doc.path("paths").path(path).path(method.toLowerCase());
        assertThat(operation.isMissingNode()).as("%s %s is documented", method, path).isFalse();
        return operation;
    }

    private static JsonNode first(JsonNode media) {
        if (media.has("example")) {
            return media.get("example");
        }
        return media.path("examples").elements().next().path("value");
    }

    private static boolean hasExample(JsonNode media, String mediaType) {
        if (!media.has("example") && !media.path("examples").elements().hasNext()) {
            return false;
        }
        return !mediaType.equals("application/json") || first(media).isContainerNode();
    }

    /** The example ids swapped for real ones. */
    private static String swap(String body, String parent, String child) {
        String swapped = body.replace(PARENT, parent);
        return child == null ? swapped : swapped.replace(CHILD, child);
    }

    /** Every field path in {@code node}: "result.items[].error.code", ... */
    private static Set<String> shape(JsonNode node) {
        Set<String> paths = new TreeSet<>();
        shape(node, "", paths);
        return paths;
    }

    private static void shape(JsonNode node, String at, Set<String> paths) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                paths.add(at + "." + field.getKey());
                shape(field.getValue(), at + "." + field.getKey(), paths);
            });
        } else if (node.isArray()) {
            node.forEach(element -> shape(element, at + "[]", paths));
        }
    }

    private static Set<String> linesShape(String ndjson) throws Exception {
        Set<String> paths = new TreeSet<>();
        for (String line : ndjson.split("\n")) {
            if (!line.isBlank()) {
                paths.addAll(shape(JSON.readTree(line)));
            }
        }
        return paths;
    }

    /** Each event name with the field paths of its data. */
    private static Set<String> eventsShape(List<SseClient.Event> events) throws Exception {
        Set<String> paths = new TreeSet<>();
        for (SseClient.Event event : events) {
            for (String path : shape(JSON.readTree(event.data()))) {
                paths.add(event.name() + ":" + path);
            }
        }
        return paths;
    }

    /** The same, of an example stream's text. */
    private static Set<String> eventsShape(String stream) throws Exception {
        List<SseClient.Event> events = new ArrayList<>();
        String name = "message";
        for (String line : stream.split("\n")) {
            if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                events.add(new SseClient.Event(null, name, line.substring(5).trim()));
            }
        }
        assertThat(events).isNotEmpty();
        return eventsShape(events);
    }
}
