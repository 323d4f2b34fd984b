package dev.bulklinks.job;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.ManualWorkers;
import dev.bulklinks.worker.WorkerHandle;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import java.math.BigDecimal;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * GET .../jobs/activity, the dashboard's chart: items waiting and processed over the last minutes,
 * with the test running a job's chunks one at a time.
 */
@QuarkusTest
@TestProfile(ManualWorkers.class)
class ActivityTest {

    @Inject
    WorkerHandle worker;

    @Test
    void aJobAddsItsItemsToTheWaitingLineAndEachChunkMovesThemToProcessed() {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project(), a = pair.a(), b = pair.b();
        JsonPath empty = activity(project, null);
        assertThat(empty.getDouble("step")).isEqualTo(10.0);
        assertThat(activity(project, "1").getDouble("step")).isCloseTo(0.666, Offset.offset(0.001));
        assertThat(empty.getList("points")).hasSize(90);
        assertThat(empty.getList("points.waiting", Long.class)).containsOnly(0L);

        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            links.add(link(a, b, BREAKDOWN));
        }
        String token = Api.submit(project, "/links/bulk", Map.of("links", links));
        JsonPath queued = activity(project, null);
        assertThat(last(queued, "waiting")).isEqualTo(250);
        assertThat(first(queued, "waiting")).as("fifteen minutes ago nothing waited").isZero();
        assertThat(sum(queued, "processed")).isZero();

        assertThat(worker.runOne()).isTrue();
        JsonPath oneChunk = activity(project, null);
        assertThat(last(oneChunk, "waiting")).isEqualTo(150);
        assertThat(sum(oneChunk, "processed")).isEqualTo(100);
        assertThat(last(oneChunk, "processed")).as("processed in the last step").isEqualTo(100);

        json().post("/api/p/{p}/jobs/{t}/cancel", project, token).then().statusCode(200);
        JsonPath cancelled = activity(project, "1");
        assertThat(cancelled.getList("points")).hasSize(90);
        assertThat(last(cancelled, "waiting")).as("cancelled items wait no more").isZero();
        assertThat(sum(cancelled, "processed")).as("and were not processed").isEqualTo(100);
        List<BigDecimal> times = cancelled.getList("points.at", BigDecimal.class);
        assertThat(times).isSorted();
        assertThat(times.get(89).subtract(times.get(0)).doubleValue()).isCloseTo(89 * cancelled.getDouble("step"), Offset.offset(0.01));
    }

    @Test
    void anotherProjectsJobsAreNotCounted() {
        String project = Api.newProject();
        String other = Api.newProject();
        Api.registerType(other, BREAKDOWN);
        String a = Api.entity(other, "folder", "a");
        Api.submit(other, "/links/bulk", Map.of("links", List.of(link(a, Api.entity(other, "folder", "b"), BREAKDOWN))));
        assertThat(last(activity(other, null), "waiting")).isEqualTo(1);
        assertThat(last(activity(project, null), "waiting")).isZero();
        while (worker.runOne()) {
            // leave no job queued for the test classes that run workers
        }
        assertThat(last(activity(other, null), "waiting")).isZero();
    }

    @Test
    void aWindowOutsideOneToSixtyMinutesIs400() {
        String project = Api.newProject();
        for (String minutes : List.of("0", "61", "abc", "1.5", "-3")) {
            json().get("/api/p/{p}/jobs/activity?minutes={m}", project, minutes).then().statusCode(400)
                    .body("result.message", containsString("minutes must be a whole number from 1 to 60"));
        }
        json().get("/api/p/{p}/jobs/activity", "nosuchproject").then().statusCode(404);
    }

    private static JsonPath activity(String project, String minutes) {
        return json().queryParams(minutes == null ? Map.of() : Map.of("minutes", minutes))
                .get("/api/p/{p}/jobs/activity", project).then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL)).setRootPath("result");
    }

    private static long last(JsonPath activity, String field) {
        List<Long> values = activity.getList("points." + field, Long.class);
        return values.get(values.size() - 1);
    }

    private static long first(JsonPath activity, String field) {
        return activity.getList("points." + field, Long.class).get(0);
    }

    private static long sum(JsonPath activity, String field) {
        return activity.getList("points." + field, Long.class).stream().mapToLong(Long::longValue).sum();
    }
}
