package dev.bulklinks.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.fixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each dialect's route in the OpenAPI document: under its own tag, with its system's bodies and errors. */
@QuarkusTest
class DialectOpenApiTest {

    JsonNode paths;

    @BeforeEach
    void readDocument() throws Exception {
        paths = new ObjectMapper().readTree(RestAssured.given().header(SignedIn.ANONYMOUS, "1")
                .queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString()).path("paths");
    }

    private static JsonNode example(JsonNode media) {
        return media.path("examples").elements().next().path("value");
    }

    @Test
    void sasIsDescribedUnderItsTagWithItsBodiesAndErrorObjects() {
        JsonNode post = paths.path("/sas/p/{project}/links/bulk").path("post");
        assertThat(post.path("tags")).extracting(JsonNode::asText).containsExactly("SAS Visual Investigator");
        assertThat(example(post.path("requestBody").path("content").path("application/json")).path("items").size())
                .isEqualTo(3);
        JsonNode ok = example(post.path("responses").path("200").path("content").path("application/json"));
        assertThat(ok.path("name").asText()).isEqualTo("links");
        assertThat(ok.path("version").asInt()).isEqualTo(2);
        assertThat(post.path("responses").path("202").isMissingNode()).isFalse();
        for (String status : List.of("400", "401", "403", "404", "413", "415", "429", "503")) {
            JsonNode error = example(post.path("responses").path(status).path("content").path("application/json"));
            assertThat(error.path("httpStatusCode").asText()).as(status).isEqualTo(status);
            assertThat(error.has("success")).as("not the native envelope").isFalse();
        }
        assertThat(post.path("responses").path("408").isMissingNode()).as("no native error added").isTrue();
        assertThat(post.path("security").toString()).contains("bearer");
    }

    @Test
    void propellerIsDescribedUnderItsTagWithItsBodiesAndErrors() {
        JsonNode post = paths.path("/propeller/p/{project}/links/bulk/{lookupKey}").path("post");
        assertThat(post.path("tags")).extracting(JsonNode::asText).containsExactly("Propeller");
        JsonNode ok = example(post.path("responses").path("200").path("content").path("application/json"));
        assertThat(ok.path("messages").get(0).asText()).isEqualTo("Completed");
        assertThat(ok.path("data").get(1).path("error").asText()).endsWith("not found");
        for (String status : List.of("400", "401", "403", "404", "413", "415", "429", "503")) {
            JsonNode error = example(post.path("responses").path(status).path("content").path("application/json"));
            assertThat(error.path("error").path("status").asText()).as(status).isEqualTo(status);
        }
        assertThat(post.path("security").toString()).contains("bearer");
    }
}
