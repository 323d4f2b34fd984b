package dev.bulklinks.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.database.EmbeddedDatabase;
import dev.bulklinks.fixtures.SeededFeed;
import dev.bulklinks.fixtures.SeededJob;
import dev.bulklinks.fixtures.ServiceProcess;
import io.restassured.http.ContentType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that read slowly, or not at all, against the packaged service in a small heap with a short
 * transaction timeout: they never hold the database, never fill the heap, and never get a file cut
 * short without knowing it.
 */
class SlowReadersIT {

    /** The service's transaction timeout: every slow read below outlasts it. */
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(2);
    /** How long a stream may take nothing before the service cuts it off. */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
    private static final String HEAP = "256m";
    /** The live heap (after a GC) that 50 streams that never read may leave, in MB: the budget is 64 MB. */
    private static final double HEAP_BOUND_MB = 130;
    private static final int ITEMS = 200_000;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static EmbeddedDatabase database;
    static ServiceProcess service;
    static Connection sql;
    static HttpClient http;
    static String project;
    static UUID job;

    @BeforeAll
    static void start() throws SQLException {
        database = EmbeddedDatabase.open(dir.resolve("db"), true, false);
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", database.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", database.password());
        env.put("QUARKUS_TRANSACTION_MANAGER_DEFAULT_TRANSACTION_TIMEOUT", TRANSACTION_TIMEOUT.toSeconds() + "s");
        env.put("BULKLINKS_SYNC_SEND_TIMEOUT", SEND_TIMEOUT.toSeconds() + "s");
        env.put("BULKLINKS_SYNC_HEARTBEAT", "1s");
        env.put("BULKLINKS_WORKER_ENABLED", "false");
        service = ServiceProcess.start(dir.resolve("service"), env, List.of("-Xmx" + HEAP, "-XX:+HeapDumpOnOutOfMemoryError",
                "-XX:HeapDumpPath=" + dir.resolve("service")));
        sql = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        project = newProject();
        job = SeededJob.of(project).items(ITEMS).chunkSize(1000).insert(sql);
    }

    @AfterAll
    static void stop() throws SQLException {
        if (sql != null) {
            sql.close();
        }
        if (service != null) {
            service.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static String newProject() {
        String name = "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        given().baseUri(service.baseUrl()).header("Authorization", service.bearer()).contentType(ContentType.JSON)
                .body(Map.of("name", name)).post("/api/projects").then().statusCode(201);
        return name;
    }

    private static HttpResponse<InputStream> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .header("Authorization", service.bearer()).timeout(Duration.ofMinutes(3));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String results(UUID token) {
        return "/api/p/" + project + "/jobs/" + token + "/results.ndjson";
    }

    /** Reads at most {@code bytesPerSecond}, as a client on a slow network does. */
    private static final class Throttled {
        private final InputStream in;
        private final long bytesPerSecond;
        private final long started = System.nanoTime();
        private long read;

        Throttled(InputStream in, long bytesPerSecond) {
            this.in = in;
            this.bytesPerSecond = bytesPerSecond;
        }

        int read(byte[] buffer, int length) throws IOException {
            long due = started + read * 1_000_000_000L / bytesPerSecond;
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(due - System.nanoTime());
            }
            int n = in.read(buffer, 0, length);
            if (n > 0) {
                read += n;
            }
            return n;
        }
    }

    // ---- results.ndjson ----------------------------------------------------------------------------

    @Test
    void aSlowReaderGetsEveryResultInOrderLongAfterTheTransactionTimeout() throws Exception {
        long started = System.nanoTime();
        HttpResponse<InputStream> response = get(results(job), Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Total-Count")).hasValue(Integer.toString(ITEMS));
        // About 19 MB at 4 MB/s: twice the transaction timeout at least.
        Throttled in = new Throttled(response.body(), 4_000_000);
        StringBuilder line = new StringBuilder();
        int lines = 0;
        byte[] buffer = new byte[16 * 1024];
        try (InputStream body = response.body()) {
            for (int n; (n = in.read(buffer, buffer.length)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        JsonNode result = JSON.readTree(line.toString());
                        assertThat(result.path("index").asInt()).as("line %d", lines).isEqualTo(lines);
                        assertThat(result.path("id").asText()).isEqualTo(SeededJob.id(lines));
                        assertThat(result.path("success").asBoolean()).isTrue();
                        lines++;
                        line.setLength(0);
                    } else {
                        line.append((char) buffer[i]);
                    }
                }
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(lines).isEqualTo(ITEMS);
        assertThat(line).as("nothing after the last line").isEmpty();
        assertThat(took).as("the read outlasted the transaction timeout").isGreaterThan(TRANSACTION_TIMEOUT);
    }

    @Test
    void thirtySlowReadersLeaveTheServiceAnsweringAndHoldNoConnection() throws Exception {
        int readers = 30;
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        AtomicBoolean stop = new AtomicBoolean();
        List<AtomicLong> progress = new ArrayList<>();
        List<Future<?>> running = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            AtomicLong read = new AtomicLong();
            progress.add(read);
            running.add(pool.submit(() -> {
                HttpResponse<InputStream> response = get(results(job), Map.of());
                Throttled in = new Throttled(response.body(), 300_000);
                byte[] buffer = new byte[8 * 1024];
                try (InputStream body = response.body()) {
                    for (int n; !stop.get() && (n = in.read(buffer, buffer.length)) > 0; ) {
                        read.addAndGet(n);
                    }
                }
                return null;
            }));
        }
        try {
            long[] before = new long[readers];
            for (int round = 0; round < 4; round++) {
                // Every reader moves on between two looks: the looks are taken while they all read.
                for (int r = 0; r < readers; r++) {
                    before[r] = progress.get(r).get();
                }
                await().atMost(WAIT).until(() -> {
                    for (int r = 0; r < readers; r++) {
                        if (progress.get(r).get() <= before[r]) {
                            return false;
                        }
                    }
                    return true;
                });
                Map<String, Integer> sessions = sessionsByState();
                assertThat(sessions.getOrDefault("idle in transaction", 0)).as("sessions idle in transaction: %s", sessions)
                        .isZero();
                assertThat(sessions.getOrDefault("active", 0)).as("active sessions: %s", sessions).isLessThanOrEqualTo(3);
                given().baseUri(service.baseUrl()).header("Authorization", service.bearer())
                        .get("/api/p/{p}/jobs/{t}", project, job).then().statusCode(200);
                given().baseUri(service.baseUrl()).get("/q/health/ready").then().statusCode(200);
            }
            assertThat(progress).allSatisfy(read -> assertThat(read.get()).isPositive());
        } finally {
            stop.set(true);
            for (Future<?> reader : running) {
                reader.get(1, TimeUnit.MINUTES);
            }
            pool.shutdown();
        }
    }

    /** The service's sessions by state (this test's own connection left out). */
    private static Map<String, Integer> sessionsByState() throws SQLException {
        Map<String, Integer> states = new HashMap<>();
        try (PreparedStatement ps = sql.prepareStatement("""
                SELECT coalesce(state, 'none'), count(*) FROM pg_stat_activity
                 WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1""");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                states.put(rs.getString(1), rs.getInt(2));
            }
        }
        return states;
    }

    @Test
    void aResultsStreamThatCannotBeWholeEndsInAnErrorNotACleanEnd() throws Exception {
        // Far more than the sockets' buffers hold: when the job goes, most of it is still to be read.
        int items = 500_000;
        UUID doomed = SeededJob.of(project).items(items).chunkSize(1000).insert(sql);
        HttpResponse<InputStream> response = get(results(doomed), Map.of());
        assertThat(response.headers().firstValue("X-Total-Count")).hasValue(Integer.toString(items));
        BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        int read = 0;
        while (read < 1000) {
            assertThat(lines.readLine()).isNotNull();
            read++;
        }
        // Retention deletes a finished job with its chunks.
        try (PreparedStatement ps = sql.prepareStatement("DELETE FROM job WHERE token = ?")) {
            ps.setObject(1, doomed);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        int[] count = {read};
        assertThatThrownBy(() -> {
            while (lines.readLine() != null) {
                count[0]++;
            }
        }).as("the stream must fail, not end").isInstanceOf(IOException.class);
        assertThat(count[0]).isLessThan(items);
        lines.close();
    }

    // ---- streams that do not read --------------------------------------------------------------------

    /** A stream whose client reads only when told to: an SSE parser over the raw body. */
    private static final class PausedStream {
        final HttpResponse<InputStream> response;
        final BufferedReader lines;
        final List<Long> cursors = new ArrayList<>();

        PausedStream(String path, String lastEventId) {
            Map<String, String> headers = new HashMap<>(Map.of("Accept", "text/event-stream"));
            if (lastEventId != null) {
                headers.put("Last-Event-ID", lastEventId);
            }
            response = get(path, headers);
            lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        }

        /** Reads complete events until {@code count} more came, or until {@code upTo}, or until the stream ends. */
        void read(int count, long upTo) {
            String id = null;
            int got = 0;
            try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("id:")) {
                        id = line.substring(3).strip();
                    } else if (line.isEmpty() && id != null) {
                        cursors.add(Long.parseLong(id));
                        id = null;
                        if (++got >= count || cursors.get(cursors.size() - 1) >= upTo) {
                            return;
                        }
                    }
                }
            } catch (IOException e) {
                // cut off by the service: the events read whole so far are what the client has
            }
        }

        long last() {
            return cursors.get(cursors.size() - 1);
        }

        void close() throws IOException {
            response.body().close();
        }
    }

    private static double metric(String name, String labels) {
        String metrics = given().baseUri(service.baseUrl()).get("/q/metrics").then().statusCode(200).extract().asString();
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") && line.contains(labels) || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The service's live heap in MB, right after a full GC of its own (jcmd). */
    private static double heapAfterGc() throws Exception {
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(service.pid()), "GC.run").redirectErrorStream(true).start();
        assertThat(gc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return metric("jvm_memory_used_bytes", "area=\"heap\"") / 1e6;
    }

    @Test
    void streamsThatNeverReadStayWithinTheBudgetAreCutOffAndResumeMissingNothing() throws Exception {
        String feedProject = newProject();
        // 600 links events of 1000 ids: about 24 MB of feed behind each stream.
        long last = SeededFeed.links(sql, feedProject, 600, 1000);
        String path = "/sync/stream?project=" + feedProject + "&cursor=0";
        double before = heapAfterGc();

        // One client reads a few events, then stops reading; 50 never read at all.
        PausedStream paused = new PausedStream(path, null);
        assertThat(paused.response.statusCode()).isEqualTo(200);
        paused.read(5, last);
        List<HttpResponse<InputStream>> silent = new ArrayList<>();
        List<Integer> refused = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            HttpResponse<InputStream> response = get(path, Map.of("Accept", "text/event-stream"));
            if (response.statusCode() == 200) {
                silent.add(response);
            } else {
                refused.add(response.statusCode());
                response.body().close();
            }
        }
        assertThat(refused).as("only a full instance refuses, with 503").containsOnly(503);

        long perStream = 4L << 20;
        long total = 64L << 20;
        // The streams fill the instance's budget; then a new stream is refused, with Retry-After, in the envelope.
        await().atMost(WAIT).until(() -> metric("bulklinks_sse_pending_bytes", "") > total - perStream);
        HttpResponse<InputStream> more = get(path, Map.of("Accept", "text/event-stream"));
        String body = new String(more.body().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(more.statusCode()).as(body).isEqualTo(503);
        assertThat(more.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(body).path("result").path("code").asInt()).isEqualTo(503);

        double held = heapAfterGc();
        double pending = metric("bulklinks_sse_pending_bytes", "");
        System.out.printf("SlowReadersIT: %d streams that do not read: live heap %.1f MB (%.1f MB before them, %.2f MB"
                + " a stream), %.1f MB of events held for them%n", silent.size() + 1, held, before,
                (held - before) / (silent.size() + 1), pending / 1e6);
        assertThat(held).as("live heap, MB").isLessThan(HEAP_BOUND_MB);
        assertThat(pending).isLessThanOrEqualTo(total + 52 * 40_000);

        // The service cuts them off within the send timeout, and frees what they held.
        await().atMost(WAIT).until(() -> metric("bulklinks_sse_subscribers", "") == 0);
        assertThat(metric("bulklinks_sse_pending_bytes", "")).isZero();
        System.out.printf("SlowReadersIT: after the cut, %.1f MB of Netty direct buffers in use%n",
                metric("netty_allocator_memory_used", "memory_type=\"direct\"") / 1e6);
        for (HttpResponse<InputStream> response : silent) {
            response.body().close();
        }

        // The paused client takes what reached it before the cut, then resumes: it misses nothing.
        paused.read(Integer.MAX_VALUE, last);
        paused.close();
        long resumeAfter = paused.last();
        assertThat(resumeAfter).isLessThan(last);
        PausedStream resumed = new PausedStream(path, Long.toString(resumeAfter));
        resumed.read(Integer.MAX_VALUE, last);
        resumed.close();
        List<Long> all = new ArrayList<>(paused.cursors);
        all.addAll(resumed.cursors);
        List<Long> expected = new ArrayList<>();
        try (PreparedStatement ps = sql.prepareStatement("SELECT cursor FROM sync_event WHERE project = ? ORDER BY cursor")) {
            ps.setString(1, feedProject);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    expected.add(rs.getLong(1));
                }
            }
        }
        assertThat(expected).hasSize(600);
        assertThat(all).containsExactlyElementsOf(expected);
    }
}
