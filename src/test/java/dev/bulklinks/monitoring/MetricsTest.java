package dev.bulklinks.monitoring;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /q/metrics after a job: its counters moved by exactly what the job did. */
@QuarkusTest
class MetricsTest {

    private static String scrape() {
        return RestAssured.given().header(SignedIn.ANONYMOUS, "1").get("/q/metrics").then().statusCode(200)
                .extract().asString();
    }

    /** The value of the sample {@code name} whose labels include every one of {@code labels} ("k=v"); 0 when absent. */
    static double value(String metrics, String name, String... labels) {
        for (String line : metrics.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            String labelPart = line.contains("{") ? line.substring(line.indexOf('{'), line.lastIndexOf('}') + 1) : "";
            boolean all = true;
            for (String label : labels) {
                String[] kv = label.split("=", 2);
                all &= labelPart.contains(kv[0] + "=\"" + kv[1] + "\"");
            }
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    @Test
    void aJobMovesItsCountersByWhatItDid() {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project(), a = pair.a(), b = pair.b();
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            links.add(Api.link(a, b, BREAKDOWN));
        }
        links.add(Api.link(a, a, BREAKDOWN)); // an entity linked to itself: fails
        String kind = "kind=bulk_upsert_links";
        String before = scrape();

        String token = Api.submit(project, "/links/bulk", Map.of("links", links));
        assertThat(Api.awaitFinal(project, token).getString("status")).isEqualTo("done");
        String after = scrape();

        assertThat(delta(before, after, "bulklinks_jobs_submitted_total", kind)).isEqualTo(1);
        assertThat(delta(before, after, "bulklinks_jobs_finished_total", kind, "status=done")).isEqualTo(1);
        assertThat(delta(before, after, "bulklinks_items_processed_total", kind, "outcome=succeeded")).isEqualTo(4);
        assertThat(delta(before, after, "bulklinks_items_processed_total", kind, "outcome=failed")).isEqualTo(1);
        assertThat(delta(before, after, "bulklinks_chunk_duration_seconds_count", kind)).isEqualTo(1);
        assertThat(delta(before, after, "bulklinks_job_start_delay_seconds_count", kind)).isEqualTo(1);
        assertThat(after).contains("bulklinks_chunk_duration_seconds_bucket{", "bulklinks_queue_chunks",
                "bulklinks_sse_subscribers", "bulklinks_lease_rescues_total", "bulklinks_chunk_retries_total");
    }

    private static double delta(String before, String after, String name, String... labels) {
        return value(after, name, labels) - value(before, name, labels);
    }
}
