package dev.bulklinks.worker;

import static dev.bulklinks.fixtures.Api.BREAKDOWN;
import static dev.bulklinks.fixtures.Api.link;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulklinks.fixtures.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A small job is not queued behind a big one: while the one ordinary worker is held up by a big job,
 * the worker kept for small jobs takes a small one to done, and leaves the big one alone.
 */
@QuarkusTest
@TestProfile(SmallJobWorkerTest.OneOfEach.class)
class SmallJobWorkerTest {

    /** One ordinary worker and one for jobs of at most 10 items. */
    public static class OneOfEach implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bulklinks.worker.threads", "1", "bulklinks.worker.small-job-threads", "1",
                    "bulklinks.worker.small-job-items", "10");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    private static List<Map<String, Object>> links(Api.FolderPair pair, int count) {
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            links.add(link(i % 2 == 0 ? pair.a() : pair.b(), i % 2 == 0 ? pair.b() : pair.a(), BREAKDOWN));
        }
        return links;
    }

    @Test
    void aSmallJobIsDoneWhileTheOrdinaryWorkerIsHeldUpByABigOne() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project();
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            // The big job's row is locked: the ordinary worker that claims one of its chunks waits on it, as if its
            // chunks were slow: in its claim (moving the job to processing) if the lock came first, else when its
            // chunk moves the job's counters.
            String big = Api.submit(project, "/links/bulk", Map.of("links", links(pair, 3_000)));
            lock(holder, big);
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingOnJob() > 0);

            String small = Api.submit(project, "/links/bulk", Map.of("links", links(pair, 10)));
            assertThat(Api.awaitFinal(project, small).getString("status")).isEqualTo("done");
            assertThat(Api.job(project, small).getInt("info.succeeded")).isEqualTo(10);
            // The small-job worker took no chunk of the big job: the ordinary worker is the one session waiting
            // on its row. (Which of the big job's chunks are running says nothing when the claim itself waits:
            // its lease is not committed yet. A CI run failed that way on 2026-12-01.)
            assertThat(waitingOnJob()).isEqualTo(1);
            holder.rollback();
            assertThat(Api.awaitFinal(project, big).getString("status")).isEqualTo("done");
            assertThat(Api.job(project, big).getInt("info.succeeded")).isEqualTo(3_000);
        }
    }

    @Test
    void aJobOverTheLimitIsLeftToTheOrdinaryWorkers() throws Exception {
        Api.FolderPair pair = Api.folderPair();
        String project = pair.project();
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            String first = Api.submit(project, "/links/bulk", Map.of("links", links(pair, 3_000)));
            lock(holder, first);
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingOnJob() > 0);
            // 11 items: one too many for the small-job worker, so it waits for the ordinary one.
            String eleven = Api.submit(project, "/links/bulk", Map.of("links", links(pair, 11)));
            String ten = Api.submit(project, "/links/bulk", Map.of("links", links(pair, 10)));
            assertThat(Api.awaitFinal(project, ten).getString("status")).isEqualTo("done");
            assertThat(Api.job(project, eleven).getString("status")).isEqualTo("queued");
            holder.rollback();
            assertThat(Api.awaitFinal(project, eleven).getString("status")).isEqualTo("done");
            assertThat(Api.awaitFinal(project, first).getString("status")).isEqualTo("done");
        }
    }

    /** Locks the job's row in {@code holder}'s transaction. */
    private static void lock(Connection holder, String job) throws Exception {
        try (PreparedStatement ps = holder.prepareStatement("SELECT 1 FROM job WHERE token = ? FOR UPDATE")) {
            ps.setObject(1, UUID.fromString(job));
            ps.executeQuery().close();
        }
    }

    /** Sessions of the service waiting for the lock on a job's row (the test's jobs are one at a time). */
    private int waitingOnJob() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT count(*) FROM pg_stat_activity
                         WHERE wait_event_type = 'Lock' AND query ~ 'UPDATE job\\s+SET'""");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
