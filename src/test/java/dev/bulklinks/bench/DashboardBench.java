package dev.bulklinks.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.database.EmbeddedDatabase;
import dev.bulklinks.fixtures.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the dashboard asks for, with 100,000 jobs in one project (issue 8: "it must stay fast with
 * 100,000 jobs in the database"); run with {@code ./mvnw -Pbench verify -Dit.test=DashboardBench}.
 * The jobs are written straight into the database of a packaged service: spread over the last day,
 * the newest 2,000 in the last quarter hour, 50 still queued, one chunk of 1,000 items each. Each
 * dashboard request is timed through HTTP with a token, as the page sends it, and printed as a ratio
 * against the cheapest request of the same kind measured in the same run: one job by its token.
 *
 * <p>Settings: {@code -Dbench.jobs} (default 100000), {@code -Dbench.rounds} (timed requests of each
 * kind, default 50).
 */
class DashboardBench {

    private static final int JOBS = Integer.getInteger("bench.jobs", 100_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 50);
    private static final Path DIR = Path.of("target/bench-dashboard");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final Report report = new Report();
    private ServiceProcess service;

    @Test
    void hundredThousandJobs() throws Exception {
        Files.createDirectories(DIR);
        EmbeddedDatabase db = EmbeddedDatabase.open(DIR.resolve("postgres"), true, true);
        service = ServiceProcess.start(DIR.resolve("service"), Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", db.user(),
                "QUARKUS_DATASOURCE_PASSWORD", db.password(),
                "BULKLINKS_WORKER_ENABLED", "false"));
        try (Connection sql = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            long seeded = System.nanoTime();
            seed(sql);
            report.line("# Dashboard with %,d jobs in one project", JOBS);
            report.line("");
            report.line("%,d jobs and their chunks written in %.1f s; every figure is the median of %d requests"
                    + " through HTTP with a token, sent in turn with the others, after %d unmeasured rounds.", JOBS,
                    (System.nanoTime() - seeded) / 1e9, ROUNDS, 2 * ROUNDS);
            report.line("");
            report.line("| request | median ms | × one job by its token |");
            report.line("|---|---:|---:|");
            String token = get("/api/p/bench/jobs?limit=1").path("result").path("jobs").path(0).path("job.token").asText();
            List<String> paths = List.of("/api/p/bench/jobs/" + token, "/api/p/bench/jobs/counts",
                    "/api/p/bench/jobs?limit=20", "/api/p/bench/jobs?limit=20&status=queued",
                    "/api/p/bench/jobs/activity", "/api/p/bench/jobs/" + token + "/results?outcome=failed&limit=20",
                    "/api/projects/bench",
                    "/api/p/bench/jobs?limit=20&kind=bulk_upsert_entities", "/api/p/bench/jobs?limit=20&kind=bulk_delete_links",
                    "/api/p/bench/jobs?limit=20&submitted_by=alice", "/api/p/bench/jobs?limit=20&submitted_by=rare",
                    "/api/admin/instances", "/api/p/bench/webhooks",
                    "/api/p/bench/webhooks/6c1f1b9e-2f43-4a8e-9d59-3b1c55a0e7d2/deliveries?limit=20");
            double[] medians = medians(paths);
            for (int i = 0; i < paths.size(); i++) {
                report.line("| `GET %s`%s | %.2f | %.2f |", paths.get(i).replace(token, "{token}"), i == 0 ? " (the floor)" : "",
                        medians[i], medians[i] / medians[0]);
            }
            JsonNode counts = get("/api/p/bench/jobs/counts").path("result");
            assertThat(counts.path("done").asLong() + counts.path("queued").asLong()).isEqualTo(JOBS);
            report.write(DIR.resolve("results.md"));
        } finally {
            service.close();
            db.close();
        }
    }

    /**
     * JOBS jobs over the last day, one chunk each: the newest 2,000 in the last 15 minutes, 50 queued; a tenth
     * entity imports and one in a thousand deletions, a hundredth submitted by alice and five by rare (for the
     * filters); and a webhook with 10,000 deliveries.
     */
    private static void seed(Connection sql) throws Exception {
        try (Statement s = sql.createStatement()) {
            s.execute("INSERT INTO project (name) VALUES ('bench')");
            s.execute("""
                    INSERT INTO job (token, project, kind, status, total, remaining, succeeded, failed, created_at,
                                     updated_at, started_at, finished_at, submitted_by)
                    SELECT gen_random_uuid(), 'bench',
                           CASE WHEN i %% 1000 = 7 THEN 'bulk_delete_links' WHEN i %% 10 = 3 THEN 'bulk_upsert_entities'
                                ELSE 'bulk_upsert_links' END,
                           CASE WHEN i > %1$d - 50 THEN 'queued' ELSE 'done' END,
                           1000, CASE WHEN i > %1$d - 50 THEN 1000 ELSE 0 END,
                           CASE WHEN i > %1$d - 50 THEN 0 ELSE 990 END, CASE WHEN i > %1$d - 50 THEN 0 ELSE 10 END,
                           at, at, at, CASE WHEN i > %1$d - 50 THEN NULL ELSE at + interval '2 seconds' END,
                           CASE WHEN i %% 20000 = 11 THEN 'rare' WHEN i %% 100 = 5 THEN 'alice' ELSE 'pipeline' END
                      FROM generate_series(1, %1$d) i,
                           LATERAL (SELECT CASE WHEN i > %1$d - 2000
                                                THEN now() - (%1$d - i) * interval '450 milliseconds'
                                                ELSE now() - interval '1 day' + i * interval '800 milliseconds' END AS at) t
                    """.formatted(JOBS));
            s.execute("""
                    INSERT INTO job_chunk (job_token, chunk_no, job_seq, first_index, item_count, items, state,
                                           succeeded, failed, finished_at)
                    SELECT token, 0, seq, 0, 1000, '[]', CASE WHEN status = 'queued' THEN 'queued' ELSE 'done' END,
                           succeeded, failed, finished_at
                      FROM job WHERE project = 'bench'""");
            // A webhook with 10,000 deliveries, for its deliveries page.
            s.execute("""
                    INSERT INTO webhook (id, project, url, events, secret, created_by)
                    VALUES ('6c1f1b9e-2f43-4a8e-9d59-3b1c55a0e7d2', 'bench', 'https://hooks.example.com/x',
                            ARRAY['job.finished'], 'whsec_bench', 'admin')""");
            s.execute("""
                    INSERT INTO webhook_delivery (id, webhook, event, job, payload, state, attempts, finished_at)
                    SELECT gen_random_uuid(), '6c1f1b9e-2f43-4a8e-9d59-3b1c55a0e7d2', 'job.finished', token, '{}',
                           'delivered', 1, finished_at
                      FROM job WHERE project = 'bench' AND finished_at IS NOT NULL ORDER BY seq DESC LIMIT 10000""");
            s.execute("ANALYZE");
        }
    }

    /**
     * The median ms of each request, over ROUNDS rounds that send each once, in turn, so that what
     * else the machine does falls on all alike; after twice as many rounds unmeasured, to warm up.
     */
    private double[] medians(List<String> paths) throws Exception {
        double[][] ms = new double[paths.size()][ROUNDS];
        for (int round = -2 * ROUNDS; round < ROUNDS; round++) {
            for (int i = 0; i < paths.size(); i++) {
                long started = System.nanoTime();
                get(paths.get(i));
                if (round >= 0) {
                    ms[i][round] = (System.nanoTime() - started) / 1e6;
                }
            }
        }
        double[] medians = new double[paths.size()];
        for (int i = 0; i < paths.size(); i++) {
            Arrays.sort(ms[i]);
            medians[i] = ms[i][ROUNDS / 2];
        }
        return medians;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .header("Authorization", service.bearer()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

}
