package dev.bulklinks.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.TwoInstances;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job submitted to one instance wakes the idle workers of another at once: the working instance here
 * polls for work once an hour, so only the submission's announcement can bring it the job in time.
 */
class PickupAcrossInstancesIT {

    @TempDir
    Path dir;

    @Test
    void aJobSubmittedToAnInstanceWithoutWorkersIsTakenByAnotherAtOnce() {
        try (TwoInstances instances = TwoInstances.start(dir, Map.of("BULKLINKS_WORKER_POLL_INTERVAL", "1h"))) {
            Api.FolderPair pair = instances.folderPair("pickup");
            for (int round = 0; round < 3; round++) {
                String token = TwoInstances.api(instances.following)
                        .body(Map.of("links", List.of(Api.link(pair.a(), pair.b(), Api.BREAKDOWN))))
                        .post("/api/p/pickup/links/bulk").then().statusCode(202).extract().path("result.'job.token'");
                // Far less than the hour the working instance would otherwise wait.
                await().atMost(Duration.ofSeconds(60)).until(() -> "done".equals(TwoInstances.api(instances.following)
                        .get("/api/p/pickup/jobs/{t}", token).then().statusCode(200).extract().path("result.status")));
                assertThat(TwoInstances.api(instances.following).get("/api/p/pickup/jobs/{t}", token).then()
                        .extract().<Integer>path("result.info.succeeded")).isEqualTo(1);
            }
        }
    }
}
