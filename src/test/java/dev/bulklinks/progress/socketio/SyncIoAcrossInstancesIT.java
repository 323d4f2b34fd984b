package dev.bulklinks.progress.socketio;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.Api;
import dev.bulklinks.fixtures.ServiceProcess;
import dev.bulklinks.fixtures.SyncIoClient;
import dev.bulklinks.fixtures.TwoInstances;
import dev.bulklinks.fixtures.SyncIoClient.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the packaged service share one database: B runs the job, A has no workers and holds
 * the socket.io client's socket. The job's sync items reach the socket on A, in order, to done.
 */
class SyncIoAcrossInstancesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static TwoInstances instances;

    @BeforeAll
    static void start() {
        instances = TwoInstances.start(dir);
    }

    @AfterAll
    static void stop() {
        if (instances != null) {
            instances.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aJobRunByOneInstanceIsPushedToASocketOnTheOther(Transport transport) {
        Api.FolderPair pair = instances.folderPair("shared_" + transport.name().toLowerCase());
        String project = pair.project(), a = pair.a(), b = pair.b();
        ServiceProcess pushing = instances.following, working = instances.working;
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            links.add(Map.of("input", a, "output", b, "linkType", BREAKDOWN));
        }
        String jwt = pushing.bearer().substring("Bearer ".length());

        try (SyncIoClient socket = SyncIoClient.connect(pushing.baseUrl(), transport,
                Map.of("JWT", jwt, "project", project))) {
            socket.authorization(WAIT);
            String token = TwoInstances.api(working).body(Map.of("links", links)).post("/api/p/{p}/links/bulk", project).then()
                    .statusCode(202).extract().path("result.'job.token'");

            List<JSONObject> items = socket.until(item -> token.equals(item.optString("data_key"))
                    && "done".equals(item.getJSONObject("data").optString("status")), WAIT);
            assertThat(items).extracting(item -> item.getLong("cursor")).isSorted().doesNotHaveDuplicates();
            assertThat(items).filteredOn(item -> item.getString("data_type").equals("links"))
                    .extracting(item -> item.getJSONObject("data").getInt("count")).hasSize(10).containsOnly(100);
            assertThat(items).filteredOn(item -> item.getString("data_type").equals("jobs"))
                    .extracting(item -> item.getJSONObject("data").getString("status")).startsWith("queued")
                    .endsWith("done");
            assertThat(working.log()).contains("job " + token + ": done");
            assertThat(pushing.log()).doesNotContain("job " + token + ": done").contains("Workers are off in this instance");
        }
    }
}
