package dev.bulklinks.monitoring;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.fixtures.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With JSON logs on, as in the Docker image, the service writes one JSON object per line, and every
 * line about a job carries that job's token in the field {@code job}: its submission, its chunks,
 * its end, a repeated submission.
 */
class JsonLogsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyLineAboutAJobNamesTheJob() {
        try (ServiceProcess service = ServiceProcess.start(dir, Map.of(
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true",
                "QUARKUS_LOG_CATEGORY__DEV_BULKLINKS__LEVEL", "DEBUG",
                "BULKLINKS_INTAKE_CHUNK_SIZE", "2"))) {
            api(service).body(Map.of("name", "logs")).post("/api/projects").then().statusCode(201);
            api(service).body(Map.of()).put("/api/p/logs/links/types/{t}", BREAKDOWN).then().statusCode(201);
            String a = entity(service, "a");
            String b = entity(service, "b");
            List<Map<String, Object>> links = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                links.add(Map.of("input", a, "output", b, "linkType", BREAKDOWN));
            }
            links.add(Map.of("input", a, "output", "00000000-0000-0000-0000-000000000000", "linkType", BREAKDOWN));
            Map<String, Object> body = Map.of("links", links);
            String token = api(service).header("Idempotency-Key", "logs-1").body(body)
                    .post("/api/p/logs/links/bulk").then().statusCode(202).extract().path("result.'job.token'");
            await().atMost(Duration.ofSeconds(60)).until(() -> service.log().contains("job " + token + ": done"));
            api(service).header("Idempotency-Key", "logs-1").body(body)
                    .post("/api/p/logs/links/bulk").then().statusCode(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> service.log().contains("submitted again"));

            List<JsonNode> lines = service.log().lines().map(JsonLogsIT::parse).toList();
            assertThat(lines).allSatisfy(line -> assertThat(line.path("service").asText()).isEqualTo("bulk-links"));
            List<JsonNode> aboutJob = lines.stream()
                    .filter(line -> line.path("message").asText().contains(token)).toList();
            assertThat(aboutJob).extracting(line -> line.path("message").asText()).anySatisfy(
                    m -> assertThat(m).startsWith("job " + token + ": bulk_upsert_links of 6 items submitted to project logs by admin"))
                    .anySatisfy(m -> assertThat(m).startsWith("job " + token + ": chunk 2 done, 1 of 2 items succeeded"))
                    .anySatisfy(m -> assertThat(m).isEqualTo("job " + token + ": done"))
                    .anySatisfy(m -> assertThat(m).startsWith("job " + token + ": submitted again"));
            assertThat(aboutJob).allSatisfy(line -> assertThat(line.path("job").asText()).isEqualTo(token));
            assertThat(lines.stream().filter(line -> line.has("job")))
                    .as("no line names a job it is not about").allSatisfy(
                            line -> assertThat(line.path("message").asText()).contains(token));
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new AssertionError("Not a JSON log line: " + line, e);
        }
    }

    private static String entity(ServiceProcess service, String name) {
        return api(service).body(Map.of("type", "folder", "name", name)).post("/api/p/logs/entities").then()
                .statusCode(201).extract().path("result.id");
    }

    private static RequestSpecification api(ServiceProcess service) {
        return given().baseUri(service.baseUrl()).header("Authorization", service.bearer())
                .contentType(ContentType.JSON);
    }
}
