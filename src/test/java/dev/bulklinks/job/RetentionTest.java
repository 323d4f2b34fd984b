package dev.bulklinks.job;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Finished jobs go after the retention, with their items, results and idempotency keys; their links stay. */
@QuarkusTest
class RetentionTest {

    @Inject
    Retention retention;

    @Test
    void finishedJobIsDeletedAndItsStatusAnswers404() {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project(), a = pair.a(), b = pair.b();
        Map<String, Object> body = Map.of("links", List.of(link(a, b, BREAKDOWN), link(b, a, BREAKDOWN)));
        String token = json().header("Idempotency-Key", "nightly").body(body).post("/api/p/{p}/links/bulk", project)
                .then().statusCode(202).extract().path("result.'job.token'");
        assertThat(Api.awaitFinal(project, token).getString("status")).isEqualTo("done");

        assertThat(retention.deleteFinishedBefore(Duration.ofHours(1))).as("younger than the retention").isZero();
        json().get("/api/p/{p}/jobs/{t}", project, token).then().statusCode(200);

        assertThat(retention.deleteFinishedBefore(Duration.ZERO)).isPositive();
        json().get("/api/p/{p}/jobs/{t}", project, token).then().statusCode(404);
        json().get("/api/p/{p}/jobs/{t}/results", project, token).then().statusCode(404);
        assertThat(json().get("/api/p/{p}/links?input={a}", project, a).then().statusCode(200).extract()
                .<List<Object>>path("result.links")).hasSize(1);

        String again = json().header("Idempotency-Key", "nightly").body(body).post("/api/p/{p}/links/bulk", project)
                .then().statusCode(202).extract().path("result.'job.token'");
        assertThat(again).as("the key went with its job").isNotEqualTo(token);
    }
}
