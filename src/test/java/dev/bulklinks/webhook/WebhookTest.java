package dev.bulklinks.webhook;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks as a receiver sees them: a real HTTP server on 127.0.0.1 (the test profile's allow-list) that
 * records each delivery and answers what the test scripts.
 */
@QuarkusTest
class WebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A delivery as the receiver got it. */
    record Received(String id, String event, String signature, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private HttpServer receiver;
    private final Queue<Received> received = new ConcurrentLinkedQueue<>();
    /** Statuses to answer, in turn; 200 once they run out. */
    private final Queue<Integer> answers = new ConcurrentLinkedQueue<>();
    private String url;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestHeaders().getFirst("X-BulkLinks-Delivery"),
                    exchange.getRequestHeaders().getFirst("X-BulkLinks-Event"),
                    exchange.getRequestHeaders().getFirst("X-BulkLinks-Signature"), body));
            Integer status = answers.poll();
            byte[] answer = (status == null ? "thanks" : "try later").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status == null ? 200 : status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
        url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void aFinishedJobIsDeliveredOnceSignedWithTheWebhooksSecret() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        JsonPath hook = register(pair.project(), Map.of("url", url));
        assertThat(hook.getList("events")).containsExactly("job.finished");
        assertThat(hook.getInt("progress_every")).isEqualTo(60);
        String secret = hook.getString("secret");
        assertThat(secret).startsWith("whsec_");
        json().get("/api/p/{p}/webhooks", pair.project()).then().statusCode(200)
                .body("result.webhooks.size()", equalTo(1))
                .body("result.webhooks[0].url", equalTo(url))
                .body("result.webhooks[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("secret")));

        String token = Api.submit(pair.project(), "/links/bulk", Map.of("links", List.of(
                Api.link(pair.a(), pair.b(), BREAKDOWN), Api.link(pair.a(), pair.b(), BREAKDOWN),
                Api.link(pair.a(), pair.a(), BREAKDOWN))));
        Api.awaitFinal(pair.project(), token);

        JsonPath delivery = awaitDelivery(pair.project(), hook.getString("id"), "delivered");
        assertThat(delivery.getInt("attempts")).isEqualTo(1);
        assertThat(delivery.getInt("last_status")).isEqualTo(200);
        assertThat(delivery.getString("event")).isEqualTo("job.finished");
        assertThat(delivery.getString("'job.token'")).isEqualTo(token);

        assertThat(received).hasSize(1);
        Received got = received.peek();
        assertThat(got.id()).isEqualTo(delivery.getString("id"));
        assertThat(got.event()).isEqualTo("job.finished");
        JsonNode body = got.json();
        assertThat(body.path("id").asText()).isEqualTo(got.id());
        assertThat(body.path("event").asText()).isEqualTo("job.finished");
        assertThat(body.path("project_gid").asText()).isEqualTo(pair.project());
        assertThat(body.path("job").path("job.token").asText()).isEqualTo(token);
        assertThat(body.path("job").path("status").asText()).isEqualTo("done");
        assertThat(body.path("job").path("info").path("succeeded").asInt()).isEqualTo(2);
        assertThat(body.path("job").path("info").path("failed").asInt()).isEqualTo(1);
        // What a receiver checks: the HMAC of "<t>.<raw body>" with the secret, and a t near its clock.
        String t = got.signature().replaceAll("^t=(\\d+),v1=.*$", "$1");
        assertThat(got.signature()).isEqualTo("t=" + t + ",v1=" + Signature.hmac(secret, t + "." + got.body()));
        assertThat(Math.abs(Long.parseLong(t) - System.currentTimeMillis() / 1000)).isLessThan(300);
        assertThat(got.signature()).isNotEqualTo("t=" + t + ",v1=" + Signature.hmac("whsec_other", t + "." + got.body()));
    }

    @Test
    void aReceiverThatFailsGetsTheSameDeliveryAgainUntilItAnswers2xx() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String hook = register(pair.project(), Map.of("url", url, "events", List.of("job.finished"))).getString("id");
        answers.add(503);
        answers.add(500);
        String token = Api.submit(pair.project(), "/links/bulk", Map.of("links", List.of(
                Api.link(pair.a(), pair.b(), BREAKDOWN))));
        Api.awaitFinal(pair.project(), token);

        JsonPath delivery = awaitDelivery(pair.project(), hook, "delivered");
        assertThat(delivery.getInt("attempts")).isEqualTo(3);
        assertThat(delivery.getInt("last_status")).isEqualTo(200);
        assertThat(delivery.getString("last_error")).isEqualTo("HTTP 500: try later");
        assertThat(received).hasSize(3).extracting(Received::id).containsOnly(delivery.getString("id"));
        assertThat(received).extracting(Received::body).containsOnly(received.peek().body());
    }

    @Test
    void progressIsSentAtMostOncePerIntervalAndFinishedOnce() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String both = register(pair.project(), Map.of("url", url, "events", List.of("job.finished", "job.progress"),
                "progress_every", 3600)).getString("id");
        String finishedOnly = register(pair.project(), Map.of("url", url)).getString("id");
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 350; i++) { // four chunks in the test profile (chunk-size 100)
            links.add(Api.link(pair.a(), pair.b(), BREAKDOWN));
        }
        String token = Api.submit(pair.project(), "/links/bulk", Map.of("links", links));
        Api.awaitFinal(pair.project(), token);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> all = deliveries(pair.project(), both);
            assertThat(all).extracting(d -> d.get("event")).containsExactlyInAnyOrder("job.progress", "job.finished");
            assertThat(all).extracting(d -> d.get("state")).containsOnly("delivered");
            assertThat(deliveries(pair.project(), finishedOnly)).extracting(d -> d.get("event"))
                    .containsExactly("job.finished");
        });
        assertThat(received).extracting(Received::event)
                .containsExactlyInAnyOrder("job.progress", "job.finished", "job.finished");
        JsonNode progress = received.stream().filter(r -> r.event().equals("job.progress")).findFirst().orElseThrow().json();
        assertThat(progress.path("job").path("status").asText()).isEqualTo("processing");
        assertThat(progress.path("job").path("info").path("remaining").asInt()).isBetween(1, 349);
    }

    @Test
    void deletedWebhooksAreGoneAndHearNothing() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String hook = register(pair.project(), Map.of("url", url)).getString("id");
        json().delete("/api/p/{p}/webhooks/{id}", pair.project(), hook).then().statusCode(200)
                .body("result.deleted", equalTo(hook));
        json().get("/api/p/{p}/webhooks/{id}", pair.project(), hook).then().statusCode(404)
                .body("result.message", startsWith("Webhook " + hook + " is not registered"));
        json().delete("/api/p/{p}/webhooks/{id}", pair.project(), hook).then().statusCode(404);
        String token = Api.submit(pair.project(), "/links/bulk", Map.of("links", List.of(
                Api.link(pair.a(), pair.b(), BREAKDOWN))));
        Api.awaitFinal(pair.project(), token);
        // A webhook of another project that hears this job's end shows the sender ran meanwhile.
        Api.FolderPair other = Api.folderPair();
        String otherHook = register(other.project(), Map.of("url", url)).getString("id");
        Api.awaitFinal(other.project(), Api.submit(other.project(), "/links/bulk", Map.of("links", List.of(
                Api.link(other.a(), other.b(), BREAKDOWN)))));
        awaitDelivery(other.project(), otherHook, "delivered");
        assertThat(received).hasSize(1);
    }

    @Test
    void wrongRegistrationsAreRefusedSayingWhatToFix() {
        String project = Api.newProject();
        refused(project, Map.of(), 400, "Field 'url' is required");
        refused(project, Map.of("url", "http://intranet.local/hook"), 400,
                "Host 'intranet.local' is not on the service's allow-list");
        refused(project, Map.of("url", "http://localhost:" + receiver.getAddress().getPort() + "/hook"), 400,
                "Host 'localhost' is not on the service's allow-list");
        refused(project, Map.of("url", "http://169.254.169.254/latest/meta-data"), 400, "not on the service's allow-list");
        refused(project, Map.of("url", "ftp://127.0.0.1/hook"), 400, "http or https");
        refused(project, Map.of("url", url, "events", List.of("job.started")), 400, "job.finished, job.progress");
        refused(project, Map.of("url", url, "progress_every", 0), 400, "from 1 to 86400");
        refused(project, Map.of("url", url, "secret", "mine"), 400, "secret");
        json().get("/api/p/{p}/webhooks/{id}", project, "not-an-id").then().statusCode(400);

        String member = Api.member("hooks", project, Map.of()).bearer();
        json().header("Authorization", member).body(Map.of("url", url)).post("/api/p/{p}/webhooks", project)
                .then().statusCode(403).body("result.message", startsWith("Only an admin or a manager of project"));
        json().header("Authorization", member).get("/api/p/{p}/webhooks", project).then().statusCode(403);
        String manager = Api.member("hooks", project, Map.of("role", "manager")).bearer();
        json().header("Authorization", manager).body(Map.of("url", url)).post("/api/p/{p}/webhooks", project)
                .then().statusCode(201);
        json().get("/api/p/{p}/webhooks", project).then().statusCode(200).body("result.webhooks.size()", equalTo(1));
    }

    @Test
    void aSubmissionsCallbackHearsItsEndSignedWithTheProjectsCallbackSecret() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String token = Api.submit(pair.project(), "/links/bulk", Map.of("callback", url, "links", List.of(
                Api.link(pair.a(), pair.b(), BREAKDOWN))));
        assertThat(Api.job(pair.project(), token).getString("options.callback")).isEqualTo(url);
        Api.awaitFinal(pair.project(), token);
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 1);
        Received got = received.peek();
        assertThat(got.event()).isEqualTo("job.finished");
        assertThat(got.json().path("job").path("job.token").asText()).isEqualTo(token);
        String secret = json().get("/api/p/{p}/webhooks/callback-secret", pair.project()).then().statusCode(200)
                .extract().path("result.secret");
        String t = got.signature().replaceAll("^t=(\\d+),v1=.*$", "$1");
        assertThat(got.signature()).isEqualTo("t=" + t + ",v1=" + Signature.hmac(secret, t + "." + got.body()));

        // NDJSON takes it as a query parameter.
        String ndjson = Api.ndjson().body("{\"input\": \"" + pair.a() + "\", \"output\": \"" + pair.b() + "\", \"linkType\": \""
                + BREAKDOWN + "\"}\n").queryParam("callback", url).post("/api/p/" + pair.project() + "/links/bulk")
                .then().statusCode(202).extract().path("result.'job.token'");
        Api.awaitFinal(pair.project(), ndjson);
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 2);
    }

    @Test
    void aCallbackOutsideTheAllowListIsRefusedAtSubmitStoringNothing() {
        Api.FolderPair pair = Api.folderPair();
        json().body(Map.of("callback", "http://intranet.local/done", "links", List.of(Api.link(pair.a(), pair.b(), BREAKDOWN))))
                .post("/api/p/" + pair.project() + "/links/bulk").then().statusCode(422)
                .body("result.code", equalTo(1001))
                .body("result.message", startsWith("callback: Host 'intranet.local' is not on the service's allow-list"))
                .body("result.info.callback", equalTo("http://intranet.local/done"));
        json().body(Map.of("callback", 5, "links", List.of(Api.link(pair.a(), pair.b(), BREAKDOWN))))
                .post("/api/p/" + pair.project() + "/links/bulk").then().statusCode(400);
        json().get("/api/p/{p}/jobs", pair.project()).then().statusCode(200).body("result.jobs.size()", equalTo(0));
    }

    private static void refused(String project, Map<String, Object> body, int status, String message) {
        json().body(body).post("/api/p/{p}/webhooks", project).then().statusCode(status)
                .body("success", equalTo(false))
                .body("result.message", org.hamcrest.Matchers.containsString(message));
    }

    private static JsonPath register(String project, Map<String, Object> body) {
        return json().body(body).post("/api/p/{p}/webhooks", project).then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/api/p/" + project + "/webhooks/"))
                .extract().jsonPath().setRootPath("result");
    }

    private static List<Map<String, Object>> deliveries(String project, String hook) {
        return json().get("/api/p/{p}/webhooks/{id}/deliveries", project, hook).then().statusCode(200)
                .extract().path("result.deliveries");
    }

    /** Waits until the webhook's one delivery is in {@code state}; answers it. */
    private static JsonPath awaitDelivery(String project, String hook, String state) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(deliveries(project, hook)).singleElement()
                        .satisfies(d -> assertThat(d.get("state")).isEqualTo(state)));
        return json().get("/api/p/{p}/webhooks/{id}/deliveries", project, hook).then().extract().jsonPath()
                .setRootPath("result.deliveries[0]");
    }
}
