package dev.bulklinks.webhook;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.TwoInstances;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deliveries come from the database, not from the instance that ran the job: jobs run by one instance end
 * while the receiver is down; that instance stops; the other one, which never ran a job, delivers every
 * job.finished, each once.
 */
class WebhooksAcrossInstancesIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void anInstanceThatRanNoJobDeliversTheEndsOfTheJobsAnotherRan() throws Exception {
        Queue<String> delivered = new ConcurrentLinkedQueue<>();
        AtomicBoolean up = new AtomicBoolean(false);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (up.get()) {
                delivered.add(JSON.readTree(new String(body, StandardCharsets.UTF_8)).path("job").path("job.token").asText()
                        + " " + exchange.getRequestHeaders().getFirst("X-BulkLinks-Delivery"));
            }
            exchange.sendResponseHeaders(up.get() ? 204 : 503, -1);
            exchange.close();
        });
        receiver.start();
        try (TwoInstances instances = TwoInstances.start(dir, Map.of(
                "BULKLINKS_WEBHOOKS_ALLOWED_HOSTS", "127.0.0.1",
                "BULKLINKS_WEBHOOKS_POLL_INTERVAL", "1s",
                "BULKLINKS_WEBHOOKS_RETRY_BACKOFF", "200ms"))) {
            Api.FolderPair pair = instances.folderPair("hooked");
            TwoInstances.api(instances.following).body(Map.of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"))
                    .post("/api/p/hooked/webhooks").then().statusCode(201);
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                tokens.add(TwoInstances.api(instances.following).body(Map.of("links", List.of(
                        Api.link(pair.a(), pair.b(), BREAKDOWN)))).post("/api/p/hooked/links/bulk").then().statusCode(202)
                        .extract().path("result.'job.token'"));
            }
            for (String token : tokens) {
                await().atMost(Duration.ofSeconds(60)).until(() -> TwoInstances.api(instances.following)
                        .get("/api/p/hooked/jobs/{t}", token).then().extract().path("result.status").equals("done"));
            }
            instances.working.close(); // the only instance with workers, which wrote every delivery, is gone

            up.set(true);
            await().atMost(Duration.ofSeconds(60)).until(() -> delivered.size() >= tokens.size());
            String hook = TwoInstances.api(instances.following).get("/api/p/hooked/webhooks").then().extract()
                    .path("result.webhooks[0].id");
            await().atMost(Duration.ofSeconds(30)).until(() -> TwoInstances.api(instances.following)
                    .get("/api/p/hooked/webhooks/{id}/deliveries", hook).then().extract()
                    .<List<String>>path("result.deliveries.state").stream().allMatch("delivered"::equals));
            assertThat(delivered).hasSize(tokens.size());
            assertThat(delivered.stream().map(d -> d.split(" ")[0])).containsExactlyInAnyOrderElementsOf(tokens);
            assertThat(delivered.stream().map(d -> d.split(" ")[1]).distinct()).hasSize(tokens.size());
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aDeliveryWhoseSenderIsKilledMidwayIsSentByTheNextInstance() throws Exception {
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            seen.add(exchange.getRequestHeaders().getFirst("X-BulkLinks-Delivery"));
            if (seen.size() == 1) {
                try {
                    release.await(); // the first attempt hangs: its sender is killed meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        dev.bulklinks.database.EmbeddedDatabase database = dev.bulklinks.database.EmbeddedDatabase.open(dir.resolve("db"), true, false);
        Map<String, String> env = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", database.user(),
                "QUARKUS_DATASOURCE_PASSWORD", database.password(),
                "BULKLINKS_WEBHOOKS_ALLOWED_HOSTS", "127.0.0.1",
                "BULKLINKS_WEBHOOKS_POLL_INTERVAL", "1s",
                "BULKLINKS_WEBHOOKS_TIMEOUT", "2s");
        dev.bulklinks.fixtures.ServiceProcess second = null;
        try (dev.bulklinks.fixtures.ServiceProcess first = dev.bulklinks.fixtures.ServiceProcess.start(dir.resolve("a"), env)) {
            TwoInstances.api(first).body(Map.of("name", "killed")).post("/api/projects").then().statusCode(201);
            TwoInstances.api(first).body(Map.of()).put("/api/p/killed/links/types/{t}", BREAKDOWN).then().statusCode(201);
            String a = TwoInstances.api(first).body(Map.of("type", "folder", "name", "a")).post("/api/p/killed/entities")
                    .then().statusCode(201).extract().path("result.id");
            String hook = TwoInstances.api(first).body(Map.of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"))
                    .post("/api/p/killed/webhooks").then().statusCode(201).extract().path("result.id");
            TwoInstances.api(first).body(Map.of("links", List.of(Api.link(a, a, BREAKDOWN))))
                    .post("/api/p/killed/links/bulk").then().statusCode(202);
            await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == 1);
            first.kill(); // mid-delivery: the receiver holds the attempt open

            second = dev.bulklinks.fixtures.ServiceProcess.start(dir.resolve("b"), env);
            dev.bulklinks.fixtures.ServiceProcess next = second;
            await().atMost(Duration.ofSeconds(60)).until(() -> TwoInstances.api(next)
                    .get("/api/p/killed/webhooks/{id}/deliveries", hook).then().extract()
                    .<List<String>>path("result.deliveries.state").equals(List.of("delivered")));
            assertThat(TwoInstances.api(next).get("/api/p/killed/webhooks/{id}/deliveries", hook).then().extract()
                    .<Integer>path("result.deliveries[0].attempts")).isEqualTo(2);
            assertThat(seen).hasSize(2).containsOnly(seen.peek()); // the same delivery, sent again
        } finally {
            release.countDown();
            if (second != null) {
                second.close();
            }
            receiver.stop(0);
            database.close();
        }
    }
}
