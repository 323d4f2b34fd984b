package dev.bulklinks.worker;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.ManualWorkers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A small job submitted while a large one runs goes next, not behind every chunk of the large one. */
@QuarkusTest
@TestProfile(ManualWorkers.class)
class FairnessTest {

    @Inject
    WorkerHandle worker;

    private static List<Map<String, Object>> links(List<String> folders, int count) {
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            links.add(link(folders.get(i % 2), folders.get((i + 1) % 2), BREAKDOWN));
        }
        return links;
    }

    private void runAll() {
        while (worker.runOne()) {
            // until the queue is empty
        }
    }

    @Test
    void smallJobIsClaimedBeforeTheRestOfALargeOne() {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project(), a = pair.a(), b = pair.b();
        runAll(); // whatever earlier tests of this profile left queued
        String large = Api.submit(project, "/links/bulk", Map.of("links", links(List.of(a, b), 2_000)));
        assertThat(worker.runOne()).isTrue();
        assertThat(worker.runOne()).isTrue();

        String small = Api.submit(project, "/links/bulk", Map.of("links", links(List.of(a, b), 10)));
        assertThat(worker.runOne()).isTrue();

        assertThat(Api.job(project, small).getString("status")).as("the small job, after one more chunk").isEqualTo("done");
        assertThat(Api.job(project, large).getString("status")).isEqualTo("processing");
        assertThat(Api.job(project, large).getInt("info.remaining")).isEqualTo(1_800);

        runAll();
        assertThat(Api.job(project, large).getString("status")).isEqualTo("done");
        assertThat(Api.job(project, large).getInt("info.succeeded")).isEqualTo(2_000);
    }
}
