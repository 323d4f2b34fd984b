package dev.bulklinks.job;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.json;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.ManualWorkers;
import dev.bulklinks.worker.WorkerHandle;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cancelling, chunk by chunk: committed chunks stay, the others never run. */
@QuarkusTest
@TestProfile(ManualWorkers.class)
class CancelTest {

    @Inject
    WorkerHandle worker;

    String project;
    String a;
    String b;

    @BeforeEach
    void setUp() {
        Api.FolderPair pair = Api.folderPair();
        project = pair.project();
        a = pair.a();
        b = pair.b();
        while (worker.runOne()) {
            // empty the queue of earlier tests of this profile
        }
    }

    private String submit(int count, boolean atomic) {
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            links.add(link(a, b, BREAKDOWN));
        }
        return Api.submit(project, "/links/bulk", Map.of("links", links, "atomic", atomic));
    }

    private JsonPath cancel(String token) {
        return json().post("/api/p/{p}/jobs/{t}/cancel", project, token).then().statusCode(200)
                .body("success", equalTo(true)).extract().jsonPath().setRootPath("result");
    }

    private int links() {
        return json().queryParam("limit", 1000).get("/api/p/{p}/links", project).then().statusCode(200)
                .extract().<List<Object>>path("result.links").size();
    }

    @Test
    void processingJobKeepsItsCommittedChunksAndRunsNoOther() {
        String token = submit(1_000, false);
        worker.runOne();
        worker.runOne();

        JsonPath cancelled = cancel(token);
        assertThat(cancelled.getString("status")).isEqualTo("cancelled");
        assertThat(cancelled.getInt("info.succeeded")).isEqualTo(200);
        assertThat(cancelled.getInt("info.remaining")).isEqualTo(800);
        assertThat(cancelled.getInt("info.failed")).isZero();
        assertThat(cancelled.getString("finished_on")).isNotNull();

        assertThat(worker.runOne()).as("nothing of the cancelled job is left to claim").isFalse();
        assertThat(Api.job(project, token).getMap("info")).isEqualTo(cancelled.getMap("info"));
        assertThat(links()).isEqualTo(200);

        JsonPath results = json().get("/api/p/{p}/jobs/{t}/results?offset=195&limit=10", project, token).then()
                .statusCode(200).extract().jsonPath().setRootPath("result");
        assertThat(results.getList("items.index", Integer.class)).containsExactly(195, 196, 197, 198, 199, 200, 201,
                202, 203, 204);
        assertThat(results.getString("items[4].operation")).isEqualTo("CREATE");
        assertThat(results.getBoolean("items[5].cancelled")).isTrue();
        assertThat(results.getString("items[5].success")).isNull();
    }

    @Test
    void queuedJobIsCancelledBeforeItStarts() {
        String token = submit(150, true);

        JsonPath cancelled = cancel(token);
        assertThat(cancelled.getString("status")).isEqualTo("cancelled");
        assertThat(cancelled.getInt("info.remaining")).isEqualTo(150);
        assertThat(cancelled.getString("started_on")).isNull();
        assertThat(worker.runOne()).isFalse();
        assertThat(links()).isZero();
    }

    @Test
    void finishedJobCannotBeCancelled() {
        String token = submit(10, false);
        worker.runOne();
        assertThat(Api.job(project, token).getString("status")).isEqualTo("done");

        json().post("/api/p/{p}/jobs/{t}/cancel", project, token).then().statusCode(409)
                .body("success", equalTo(false)).body("result.code", equalTo(409))
                .body("result.message", containsString("already done"));
        String other = submit(10, false);
        cancel(other);
        json().post("/api/p/{p}/jobs/{t}/cancel", project, other).then().statusCode(409)
                .body("result.message", containsString("already cancelled"));
        json().post("/api/p/{p}/jobs/{t}/cancel", project, java.util.UUID.randomUUID()).then().statusCode(404);
    }
}
