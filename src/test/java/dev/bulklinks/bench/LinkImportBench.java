package dev.bulklinks.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.fixtures.ServiceProcess;
import dev.bulklinks.fixtures.SseClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.DoubleSummaryStatistics;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * The benchmark of a million links (issues 4 and 16), run with {@code ./mvnw -Pbench verify}; out of
 * the normal test run. One PostgreSQL serves both the floor (what the database alone takes for the same
 * rows, into tables of its own: {@link MinimalFloor}) and the packaged service at {@code -Xmx256m}.
 * Every service figure is printed as a ratio against the floor measured in the same run, so the
 * machine's speed cancels out.
 *
 * <p>Settings: {@code -Dbench.links} (N, default 1000000), {@code -Dbench.entities} (default 100000),
 * {@code -Dbench.single} (single POSTs timed, default 1000), {@code -Dbench.heap} (default 256m),
 * {@code -Dbench.small} (10-link jobs timed during each big import, default 20),
 * {@code -Dbench.rounds} (rounds of the floor and the two imports, default 3; medians are printed),
 * {@code -Dbench.link-floor} (also time the floor into the service's own {@code link} table, default
 * true), {@code -Dbench.threads} (worker threads to time one NDJSON import with, each in a service of its
 * own, default {@code 1,2,4}; empty for none), {@code -Dbench.threads-links} (the links of those
 * imports, default N up to 200,000), and {@code -Dbench.jdbc-url}, {@code -Dbench.jdbc-user}, {@code -Dbench.jdbc-password} for a
 * PostgreSQL of one's own instead of the embedded one (see {@link BenchDatabase}).
 */
class LinkImportBench {

    private static final int LINKS = Integer.getInteger("bench.links", 1_000_000);
    private static final int ENTITIES = Integer.getInteger("bench.entities", 100_000);
    private static final int SINGLE = Integer.getInteger("bench.single", 1000);
    private static final int SMALL = Integer.getInteger("bench.small", 20);
    private static final String HEAP = System.getProperty("bench.heap", "256m");
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int WARMUP = Integer.getInteger("bench.warmup", Math.min(LINKS * 3 / 10, 300_000));
    private static final boolean JFR = Boolean.getBoolean("bench.jfr");
    private static final boolean STATEMENTS = Boolean.getBoolean("bench.statements");
    private static final boolean WAL = Boolean.getBoolean("bench.wal");
    private static final boolean LINK_FLOOR = Boolean.parseBoolean(System.getProperty("bench.link-floor", "true"));
    private static final List<Integer> THREADS = System.getProperty("bench.threads", "1,2,4").isBlank() ? List.of()
            : Arrays.stream(System.getProperty("bench.threads", "1,2,4").split(",")).map(String::trim)
                    .map(Integer::valueOf).toList();
    private static final int THREADS_LINKS = Integer.getInteger("bench.threads-links", Math.min(LINKS, 200_000));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Path.of("target/bench");

    // Java's default: it asks for an h2c upgrade, which the service declines (HTTP/1.1 only, see README).
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Report report = new Report();
    private ServiceProcess service;
    private CpuMeter cpu;
    private long launched;
    private String smallBody;
    private boolean settleRefused;
    /** Whether each round's NDJSON import has its WAL read back by table ({@code -Dbench.wal=true}, when it can). */
    private boolean walByTable;

    @Test
    void millionLinks() throws Exception {
        Files.createDirectories(DIR);
        Path gcLog = DIR.resolve("service-gc.log").toAbsolutePath();
        Files.deleteIfExists(gcLog);
        BenchDatabase db = BenchDatabase.open(DIR.resolve("postgres"), STATEMENTS);
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + HEAP, "-Xlog:gc:file=" + gcLog + ":uptime"));
        if (JFR) {
            jvm.add("-XX:StartFlightRecording=filename=" + DIR.resolve("service.jfr").toAbsolutePath()
                    + ",settings=profile,dumponexit=true");
        }
        launched = System.nanoTime();
        service = ServiceProcess.start(DIR.resolve("service"), db.serviceEnvironment(), jvm);
        try (Connection sql = db.connect()) {
            cpu = CpuMeter.of(sql, service.pid());
            List<UUID> entities = setUp(sql);
            LinkRows rows = new LinkRows(entities, LINKS, 42);
            // A service runs warm: the figures are of a JVM that has compiled its hot paths (results too). After
            // 100,000 links of each format, the JIT compiler still used 0.5-0.8 s of CPU during the first
            // million-link intake, and that intake took 0.2-0.4 s longer (per-thread CPU, 2026-12-01).
            if (WARMUP > 0) {
                LinkRows warmup = new LinkRows(entities, WARMUP, 7);
                Timing warm = bulk("application/json", warmup.json(), false);
                bulk("application/x-ndjson", warmup.ndjson(), false);
                streamResults(warm.token());
                emptyLinks(sql);
            }
            double ownCopy = Double.NaN;
            double ownInsertSelect = Double.NaN;
            if (LINK_FLOOR) {
                ownCopy = floorCopy(sql, rows);
                ownInsertSelect = floorInsertSelect(sql);
                dropFloor(sql);
            }

            if (WAL) {
                String refused = WalByTable.prepare(sql);
                walByTable = refused == null;
                if (!walByTable) {
                    report.line("WAL by table: not available (%s); see WalByTable for the grants it needs", refused);
                }
            }
            List<Round> rounds = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                rounds.add(round(sql, entities, rows));
            }
            Round last = rounds.get(rounds.size() - 1);
            Timing json = last.json();
            Timing ndjson = last.ndjson();
            // The same links again as a dry run: every check, nothing written; it should cost about what the real one did.
            Timing dryRun = bulk("/api/p/bench/links/bulk?dryRun=true", "application/x-ndjson", rows.ndjson(), false);
            double single = singleLoop(entities);
            long liveBefore = liveHeapMb();
            Results results = streamResults(json.token());
            long liveAfter = liveHeapMb();
            double bulkPerLink = json.endToEnd / LINKS;

            long heapJson = peakHeapMb(gcLog, json.startUptime, json.acceptedUptime);
            long heapNdjson = peakHeapMb(gcLog, ndjson.startUptime, ndjson.acceptedUptime);
            long heapAll = peakHeapMb(gcLog, 0, Double.MAX_VALUE);
            List<SmallJob> smallJobs = new ArrayList<>();
            rounds.forEach(r -> {
                smallJobs.addAll(r.json().smallJobs());
                smallJobs.addAll(r.ndjson().smallJobs());
            });
            List<Double> small = smallJobs.stream().map(SmallJob::seconds).sorted().toList();
            List<double[]> smallPhases = phases(sql, smallJobs);

            report.line("Bulk Links benchmark, %s, on the %s PostgreSQL", LocalDate.now(), db.target());
            report.line("machine: %d cores, %s; %s; Java %s; service heap -Xmx%s", Runtime.getRuntime().availableProcessors(),
                    cpu(), version(sql), System.getProperty("java.version"), HEAP);
            report.line("N = %,d links between %,d entities (chunks of %s; %,d links of each format before, to warm up)",
                    LINKS, ENTITIES, chunkSize(), WARMUP);
            report.line("%d rounds of the floor and the two imports, each from an empty link table just after a checkpoint: seconds"
                    + " are medians over the rounds, ratios the median of each round's against its own floor, (lowest-highest round)",
                    ROUNDS);
            report.line("");
            report.line("| figure | seconds | ratio | goal |");
            report.line("|---|---:|---:|---|");
            report.line("| floor: COPY into unlogged staging | %s | | |", spread(rounds, Round::copy));
            report.line("| floor: INSERT ... SELECT joined to entities, into a minimal links table | %s | | |",
                    spread(rounds, Round::insertSelect));
            report.line("| floor: the two together | %s | | |", spread(rounds, Round::floor));
            CpuMeter.Reading floorCpu = last.floorCpu();
            report.line("| CPU seconds, database + service, last round: floor / JSON import / NDJSON import | %.1f / %.1f + %.1f / %.1f + %.1f"
                    + " | json/floor = %.2f, ndjson/floor = %.2f | |", floorCpu.database(), json.cpu.database(),
                    json.cpu.service(), ndjson.cpu.database(), ndjson.cpu.service(), json.cpu.total() / floorCpu.database(),
                    ndjson.cpu.total() / floorCpu.database());
            report.line("| database CPU by process, s, last round: floor / NDJSON import | %s / %s | | |", floorCpu.parts(),
                    ndjson.cpu.parts());
            report.line("| WAL written per link, last round: floor / NDJSON import, bytes | %,d / %,d | ndjson/floor = %.2f | |",
                    last.floorWal() / LINKS, last.ndjsonWal() / LINKS, (double) last.ndjsonWal() / last.floorWal());
            if (LINK_FLOOR) {
                report.line("| for reference, not a floor: COPY, then INSERT ... SELECT into the service's own link table"
                        + " | %.2f + %.2f | own/floor = %.2f | |", ownCopy, ownInsertSelect,
                        (ownCopy + ownInsertSelect) / median(rounds, Round::floor));
            }
            report.line("| intake JSON (POST to 202) | %s | intake/copy = %s | <= 1.5 |", spread(rounds, r -> r.json().accepted()),
                    spread(rounds, r -> r.json().accepted() / r.copy()));
            report.line("| intake NDJSON (POST to 202) | %s | intake/copy = %s | <= 1.5 |", spread(rounds, r -> r.ndjson().accepted()),
                    spread(rounds, r -> r.ndjson().accepted() / r.copy()));
            report.line("| end to end JSON (POST to done) | %s | end_to_end/floor = %s | <= 1.5 |",
                    spread(rounds, r -> r.json().endToEnd()), spread(rounds, r -> r.json().endToEnd() / r.floor()));
            report.line("| end to end NDJSON (POST to done) | %s | end_to_end/floor = %s | <= 1.5 |",
                    spread(rounds, r -> r.ndjson().endToEnd()), spread(rounds, r -> r.ndjson().endToEnd() / r.floor()));
            report.line("| dry run of the NDJSON links (POST to done) | %.2f | dry_run/end_to_end NDJSON = %.2f | about 1 |",
                    dryRun.endToEnd, dryRun.endToEnd / ndjson.endToEnd);
            report.line("| single POST loop, per link (%,d links) | %.5f | single_loop_per_link/bulk_per_link = %.0f | |",
                    SINGLE, single, single / bulkPerLink);
            report.line("| 10-link jobs during the big ones (%d, every round), POST to done: median / p95 / max | %.3f / %.3f / %.3f"
                    + " | | p95 <= 0.1 s |",
                    small.size(), percentile(small, 0.5), percentile(small, 0.95), percentile(small, 1));
            String[] phaseNames = {"POST to 202", "202 to its chunk's claim", "the claim to the run's last statement",
                "that statement to done seen on the stream (commit, sequencer, stream)"};
            for (int i = 0; i < phaseNames.length; i++) {
                int phase = i;
                List<Double> sorted = smallPhases.stream().map(p -> p[phase]).sorted().toList();
                report.line("| 10-link jobs: %s, median / p95 / max | %.3f / %.3f / %.3f | | |", phaseNames[i],
                        percentile(sorted, 0.5), percentile(sorted, 0.95), percentile(sorted, 1));
            }
            for (int own = 1; own >= 0; own--) {
                int numbered = own;
                List<Double> seen = smallPhases.stream().filter(p -> p[4] == numbered).map(p -> p[3]).sorted().toList();
                report.line("| 10-link jobs whose done was numbered %s: %d, its last phase median / p95 | %.3f / %.3f | | |",
                        own == 1 ? "by their run's own commit" : "by the sequencer after it", seen.size(),
                        percentile(seen, 0.5), percentile(seen, 0.95));
            }
            report.line("| peak heap during intake (JSON / NDJSON / whole run), MB | %d / %d / %d | of %s | fits |", heapJson,
                    heapNdjson, heapAll, HEAP);
            report.line("| results.ndjson of the JSON job, %,d lines in input order | %.2f | %,.0f lines/s | >= 200,000 lines/s |",
                    results.lines, results.seconds, results.lines / results.seconds);
            report.line("| heap used (/q/metrics) before / peak during / after that stream, MB | %d / %d / %d | of %s | flat |",
                    results.heapBefore, results.heapPeak, results.heapAfter, HEAP);
            report.line("| live heap (jcmd, after a full GC) before / after that stream, MB | %d / %d | of %s | flat |",
                    liveBefore, liveAfter, HEAP);
            if (rounds.size() > 1) {
                report.line("");
                report.line("| round | floor s | intake JSON s (× COPY) | intake NDJSON s (× COPY) | end to end JSON s (× floor)"
                        + " | end to end NDJSON s (× floor) |");
                report.line("|---:|---:|---:|---:|---:|---:|");
                for (int i = 0; i < rounds.size(); i++) {
                    Round r = rounds.get(i);
                    report.line("| %d | %.2f | %.2f (%.2f) | %.2f (%.2f) | %.2f (%.2f) | %.2f (%.2f) |", i + 1, r.floor(),
                            r.json().accepted(), r.json().accepted() / r.copy(), r.ndjson().accepted(),
                            r.ndjson().accepted() / r.copy(), r.json().endToEnd(), r.json().endToEnd() / r.floor(),
                            r.ndjson().endToEnd(), r.ndjson().endToEnd() / r.floor());
                }
            }
            if (STATEMENTS) {
                statements(sql);
                smallJobStatements(sql);
            }
            if (!last.ndjsonWalShares().isEmpty()) {
                walByTable(last);
            }
            if (!THREADS.isEmpty()) {
                workerThreads(db, jvm, entities, median(rounds, Round::floor));
            }
            report.write(DIR.resolve("results.md"));
            report.write(DIR.resolve("results-" + db.target() + "-" + LINKS + ".md"));
            assertThat(results.lines).isEqualTo(LINKS);
            assertThat(dryRun.succeeded).isEqualTo(LINKS);
        } finally {
            service.close();
            db.close();
        }
    }

    /**
     * One round: the floor, measured anew, then the JSON and the NDJSON import of the same rows. Each
     * import is set against its own round's floor, so that a round the machine runs slower in cancels
     * out, and each starts as the floor does: from an empty link table, just after a checkpoint. (Until
     * 2026-12-01 the NDJSON import went into the JSON one's million links, and the floor started
     * wherever the last checkpoint had left it: one PostgreSQL 15 run's three rounds put the NDJSON
     * import at 1.31-1.51 x its floor, the JSON one at 1.23-1.41 x, with floors of 7.9-9.7 s.)
     */
    private Round round(Connection sql, List<UUID> entities, LinkRows rows) throws Exception {
        emptyLinks(sql);
        MinimalFloor minimal = new MinimalFloor(sql, entities);
        settle(sql);
        long floorWalFrom = walPosition(sql);
        CpuMeter.Reading floorCpuFrom = cpu.read();
        double copy = minimal.copy(rows);
        double insertSelect = minimal.insertSelect(LINKS);
        CpuMeter.Reading floorCpu = cpu.read().since(floorCpuFrom);
        long floorWal = walPosition(sql) - floorWalFrom;
        minimal.drop();
        settle(sql);
        Timing json = bulk("application/json", rows.json(), true);
        emptyLinks(sql);
        settle(sql);
        if (walByTable) {
            WalByTable.hold(sql);
        }
        Timing ndjson;
        long ndjsonWal;
        List<WalByTable.Share> ndjsonWalShares = List.of();
        try {
            long ndjsonWalFrom = walPosition(sql);
            ndjson = bulk("application/x-ndjson", rows.ndjson(), true);
            ndjsonWal = walPosition(sql) - ndjsonWalFrom;
            if (walByTable) {
                ndjsonWalShares = WalByTable.between(sql, ndjsonWalFrom, ndjsonWalFrom + ndjsonWal);
            }
        } finally {
            if (walByTable) { // a slot left behind would keep the server's WAL for good
                WalByTable.release(sql);
            }
        }
        assertThat(json.succeeded()).isEqualTo(LINKS);
        assertThat(ndjson.succeeded()).isEqualTo(LINKS);
        return new Round(copy, insertSelect, floorCpu, floorWal, json, ndjson, ndjsonWal, ndjsonWalShares);
    }

    /** The floor and the two imports of one round. */
    private record Round(double copy, double insertSelect, CpuMeter.Reading floorCpu, long floorWal, Timing json,
            Timing ndjson, long ndjsonWal, List<WalByTable.Share> ndjsonWalShares) {

        double floor() {
            return copy + insertSelect;
        }
    }

    /**
     * Empties the link table (only the bench and floor projects have links, and the floor's are done with),
     * so that the next import starts as the floor does, from a new empty table: {@code TRUNCATE} gives the table and its indexes new files.
     * A {@code DELETE} and {@code VACUUM} left the indexes' emptied pages to be read back in, cold after the
     * floor and warm after an import: in one PostgreSQL 15 run that way (2026-12-01), the JSON import, after
     * the floor, took 11.01 s end to end (median of three), the NDJSON one, after the JSON one, 10.21 s.
     */
    private static void emptyLinks(Connection sql) throws java.sql.SQLException {
        try (Statement s = sql.createStatement()) {
            s.execute("TRUNCATE link");
            s.execute("ANALYZE link");
        }
    }

    /** The median of a figure over the rounds. */
    private static double median(List<Round> rounds, ToDoubleFunction<Round> figure) {
        double[] sorted = rounds.stream().mapToDouble(figure).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** A figure's median over the rounds and, when there are several, its lowest and highest: "1.29 (1.25-1.33)". */
    private static String spread(List<Round> rounds, ToDoubleFunction<Round> figure) {
        String median = String.format(Locale.ROOT, "%.2f", median(rounds, figure));
        if (rounds.size() == 1) {
            return median;
        }
        DoubleSummaryStatistics all = rounds.stream().mapToDouble(figure).summaryStatistics();
        return median + String.format(Locale.ROOT, " (%.2f-%.2f)", all.getMin(), all.getMax());
    }

    /** Where the database's write-ahead log is now, in bytes. */
    private static long walPosition(Connection sql) throws java.sql.SQLException {
        try (Statement s = sql.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The NDJSON import of {@link #THREADS_LINKS} links end to end with each number of worker threads, in
     * a service of its own (started anew with that many workers and none kept for small jobs, warmed up
     * first), on the same database: links a second, and against one thread. The floor's rate at N is
     * printed with them; it is one statement, so it does not scale with threads.
     */
    private void workerThreads(BenchDatabase db, List<String> jvm, List<UUID> entities, double floor)
            throws Exception {
        LinkRows rows = new LinkRows(entities, THREADS_LINKS, 99);
        LinkRows warmup = new LinkRows(entities, Math.min(THREADS_LINKS / 10, 20_000), 98);
        report.line("");
        report.line("| worker threads | NDJSON import of %,d links, POST to done, s | links/s | against 1 thread |",
                THREADS_LINKS);
        report.line("|---:|---:|---:|---:|");
        report.line("| floor (one INSERT ... SELECT, at N = %,d) | %.2f | %,.0f | |", LINKS, floor, LINKS / floor);
        double one = Double.NaN;
        for (int threads : THREADS) {
            service.close();
            Map<String, String> env = new HashMap<>(db.serviceEnvironment());
            env.put("BULKLINKS_WORKER_THREADS", Integer.toString(threads));
            env.put("BULKLINKS_WORKER_SMALL_JOB_THREADS", "0");
            service = ServiceProcess.start(DIR.resolve("service"), env,
                    jvm.stream().filter(option -> !option.startsWith("-XX:StartFlightRecording")).toList());
            cpu = cpu.withService(service.pid());
            bulk("application/x-ndjson", warmup.ndjson(), false);
            Timing timing = bulk("application/x-ndjson", rows.ndjson(), false);
            assertThat(timing.succeeded()).isEqualTo(THREADS_LINKS);
            double rate = THREADS_LINKS / timing.endToEnd();
            if (threads == 1) {
                one = rate;
            }
            report.line("| %d | %.2f | %,.0f | %.2f |", threads, timing.endToEnd(), rate, rate / one);
        }
    }

    /**
     * Writes the dirty pages out before the floor and before each import, which otherwise pay for what
     * came before: in runs without it, the JSON import, right after the floor, took up to twice the
     * NDJSON one (2026-11-30), in its body read and its COPY alike. CHECKPOINT needs a superuser or, from
     * PostgreSQL 15, the role pg_checkpoint; without either the run goes on and says so once.
     */
    private void settle(Connection sql) {
        try (Statement s = sql.createStatement()) {
            s.execute("CHECKPOINT");
        } catch (java.sql.SQLException e) {
            if (!settleRefused) {
                settleRefused = true;
                report.line("(no CHECKPOINT between the runs: %s; grant pg_checkpoint to the benchmark's user)", e.getMessage());
            }
        }
    }

    /** The nearest-rank percentile {@code p} (0 to 1) of sorted values; NaN when there are none. */
    private static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    // ---- set-up -------------------------------------------------------------------------------

    private List<UUID> setUp(Connection sql) throws Exception {
        post("/api/projects", "{\"name\": \"bench\"}", 201);
        put("/api/p/bench/links/types/breakdown%7Cfolder%7Cfolder", "{}");
        List<UUID> ids = new ArrayList<>(ENTITIES);
        StringBuilder body = new StringBuilder("{\"entities\": [");
        for (int i = 0; i < ENTITIES; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id).append("\",\"type\":\"folder\",\"name\":\"f")
                    .append(i).append("\"}");
        }
        String token = submit("/api/p/bench/entities/bulk", "application/json",
                new ByteArrayInputStream(body.append("]}").toString().getBytes(StandardCharsets.UTF_8)));
        awaitDone(token);
        StringBuilder small = new StringBuilder("{\"links\": [");
        for (int i = 0; i < 10; i++) {
            small.append(i == 0 ? "" : ",").append("{\"input\":\"").append(ids.get(i)).append("\",\"output\":\"")
                    .append(ids.get(i + 1)).append("\",\"linkType\":\"").append(LinkRows.TYPE).append("\"}");
        }
        smallBody = small.append("]}").toString();
        try (Statement s = sql.createStatement()) {
            if (LINK_FLOOR) {
                s.execute("INSERT INTO project (name) VALUES ('floor')");
                s.execute("INSERT INTO link_type (project, link_type, name, input_type, output_type)"
                        + " VALUES ('floor', 'breakdown|folder|folder', 'breakdown', 'folder', 'folder')");
                s.execute("INSERT INTO entity (project, id, type, name) SELECT 'floor', id, type, name FROM entity"
                        + " WHERE project = 'bench'");
            }
            s.execute("VACUUM ANALYZE");
        }
        return ids;
    }

    // ---- for reference: the same rows into the service's own link table ----------------------
    // Not a floor (its keys and four indexes are our design choices), printed beside the minimal one.

    private double floorCopy(Connection sql, LinkRows rows) throws Exception {
        try (Statement s = sql.createStatement()) {
            s.execute("CREATE UNLOGGED TABLE bench_staging (id uuid, input uuid, output uuid, link_type text, data jsonb)");
        }
        long started = System.nanoTime();
        sql.unwrap(PGConnection.class).getCopyAPI().copyIn(
                "COPY bench_staging (id, input, output, link_type, data) FROM STDIN", rows.copyRows());
        return seconds(started);
    }

    private double floorInsertSelect(Connection sql) throws Exception {
        long started = System.nanoTime();
        try (Statement s = sql.createStatement()) {
            int inserted = s.executeUpdate("""
                    INSERT INTO link (project_id, id, link_type, input, output, data)
                    SELECT (SELECT id FROM project WHERE name = 'floor'), s.id, s.link_type, s.input, s.output, s.data
                      FROM bench_staging s
                      JOIN entity i ON i.project = 'floor' AND i.id = s.input
                      JOIN entity o ON o.project = 'floor' AND o.id = s.output""");
            assertThat(inserted).isEqualTo(LINKS);
        }
        return seconds(started);
    }

    private void dropFloor(Connection sql) throws Exception {
        try (Statement s = sql.createStatement()) {
            s.execute("DROP TABLE bench_staging");
        }
        emptyLinks(sql);
    }

    // ---- the service --------------------------------------------------------------------------

    /** One bulk job of the N links: uptimes of its start and 202, seconds to 202 and to done. */
    private record Timing(String token, double startUptime, double acceptedUptime, double accepted, double endToEnd,
            int succeeded, List<SmallJob> smallJobs, CpuMeter.Reading cpu) {
    }

    /** Submits the N links and follows the job to done; meanwhile, when asked, times small jobs. */
    private Timing bulk(String contentType, InputStream body, boolean smallJobs) throws Exception {
        return bulk("/api/p/bench/links/bulk", contentType, body, smallJobs);
    }

    private Timing bulk(String path, String contentType, InputStream body, boolean smallJobs) throws Exception {
        double startUptime = uptime();
        CpuMeter.Reading cpuFrom = cpu.read();
        long started = System.nanoTime();
        String token = submit(path, contentType, body);
        double accepted = seconds(started);
        double acceptedUptime = uptime();
        List<SmallJob> small = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        if (smallJobs) {
            // One at a time, a second apart, while the big job runs: how long a small job waits behind it.
            timer.scheduleWithFixedDelay(() -> {
                if (small.size() < SMALL) {
                    small.add(smallJob());
                }
            }, 500, 1000, TimeUnit.MILLISECONDS);
        }
        JsonNode done = awaitDone(token);
        double endToEnd = seconds(started);
        CpuMeter.Reading used = cpu.read().since(cpuFrom);
        timer.shutdown();
        assertThat(timer.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        return new Timing(token, startUptime, acceptedUptime, accepted, endToEnd, done.path("info").path("succeeded").asInt(),
                new ArrayList<>(small), used);
    }

    /** The results stream of a job: lines, seconds, and the service's heap in use around it, in MB. */
    private record Results(long lines, double seconds, long heapBefore, long heapPeak, long heapAfter) {
    }

    /**
     * Reads every result of a job as NDJSON, checking they come in input order, while the service's
     * heap in use is read from its {@code /q/metrics} every 200 ms.
     */
    private Results streamResults(String token) throws Exception {
        long before = heapUsedMb();
        long[] peak = {before};
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleWithFixedDelay(() -> {
            long used = heapUsedMb();
            synchronized (peak) {
                peak[0] = Math.max(peak[0], used);
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
        long started = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create(service.baseUrl() + "/api/p/bench/jobs/" + token
                + "/results.ndjson")).header("Accept", "application/x-ndjson")
                .header("Authorization", service.bearer()).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        long lines = 0;
        try (java.io.BufferedReader reader = new java.io.BufferedReader(
                new java.io.InputStreamReader(response.body(), java.nio.charset.StandardCharsets.UTF_8), 1 << 16)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.startsWith("{\"index\":" + lines + ",")) {
                    throw new AssertionError("result " + lines + " out of order: " + line);
                }
                lines++;
            }
        }
        double seconds = seconds(started);
        sampler.shutdown();
        assertThat(sampler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        synchronized (peak) {
            return new Results(lines, seconds, before, peak[0], heapUsedMb());
        }
    }

    private static final Pattern HEAP_USED = Pattern.compile(
            "^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.E+-]+)$", Pattern.MULTILINE);

    /** The service's heap in use, as its {@code /q/metrics} says (the sum of its heap pools), in MB. */
    private long heapUsedMb() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/q/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            double bytes = 0;
            Matcher m = HEAP_USED.matcher(response.body());
            while (m.find()) {
                bytes += Double.parseDouble(m.group(1));
            }
            return Math.round(bytes / (1024 * 1024));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The service's heap in use after a full collection, read with jcmd: what it really holds. */
    private long liveHeapMb() throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, Long.toString(service.pid()), "GC.run").start().waitFor();
        Process info = new ProcessBuilder(jcmd, Long.toString(service.pid()), "GC.heap_info").start();
        String text = new String(info.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        info.waitFor();
        Matcher used = Pattern.compile("used (\\d+)K").matcher(text);
        return used.find() ? Long.parseLong(used.group(1)) / 1024 : -1;
    }

    /** Follows the job's event stream to its end; answers its final status, which must be done. */
    private JsonNode awaitDone(String token) {
        // On the benchmark's one HTTP client, as a client following its jobs keeps one, and done when the final
        // status comes (the stream ends right after it). Until 2026-12-02 each job's stream had a client of its
        // own (a thread started and a connection made for each) and was read to its end.
        try (SseClient events = SseClient.open(http, service.baseUrl() + "/api/p/bench/jobs/" + token + "/events", null,
                service.bearer())) {
            List<SseClient.Event> all = events.until(LinkImportBench::isFinal, Duration.ofHours(1));
            JsonNode last = JSON.readTree(all.get(all.size() - 1).data());
            assertThat(last.path("status").asText()).isEqualTo("done");
            return last;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A 10-link job timed by the client, in microseconds since the epoch (the database's clock is the
     * same machine's): when it was posted, answered 202, and seen done on its event stream.
     */
    private record SmallJob(String token, long posted, long accepted, long seen) {

        double seconds() {
            return (seen - posted) / 1e6;
        }
    }

    private static boolean isFinal(SseClient.Event event) {
        try {
            return List.of("done", "rejected", "cancelled").contains(JSON.readTree(event.data()).path("status").asText());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Posts a job of 10 links and follows it to done. */
    private SmallJob smallJob() {
        try {
            long posted = epochMicros();
            // With its Content-Length, as any client sends a body it holds.
            String token = submit("/api/p/bench/links/bulk", "application/json",
                    HttpRequest.BodyPublishers.ofString(smallBody));
            long accepted = epochMicros();
            awaitDone(token);
            return new SmallJob(token, posted, accepted, epochMicros());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long epochMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    /**
     * Where a 10-link job's time went, in seconds: POST to 202 (the client's), 202 to its chunk's claim
     * (the job's {@code started_at}), the claim to the run's last statement ({@code finished_at}, before its
     * commit), and from there to the client seeing "done" (the commit, the sequencer, the stream); then 1
     * when its "done" event was numbered by that run's own commit (the event's row and the job's were last
     * written by one transaction), 0 when the sequencer numbered it after.
     */
    private static List<double[]> phases(Connection sql, List<SmallJob> jobs) throws java.sql.SQLException {
        List<double[]> phases = new ArrayList<>();
        try (var query = sql.prepareStatement("""
                SELECT (extract(epoch FROM j.started_at) * 1e6)::bigint, (extract(epoch FROM j.finished_at) * 1e6)::bigint,
                       EXISTS (SELECT 1 FROM sync_event e WHERE e.data_key = j.token::text AND e.data_type = 'jobs'
                                  AND e.data->>'status' = 'done' AND e.xmin::text = j.xmin::text)
                  FROM job j WHERE j.token = ?::uuid""")) {
            for (SmallJob job : jobs) {
                query.setString(1, job.token());
                try (ResultSet rs = query.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    long claimed = rs.getLong(1);
                    long finished = rs.getLong(2);
                    phases.add(new double[] {(job.accepted() - job.posted()) / 1e6, (claimed - job.accepted()) / 1e6,
                            (finished - claimed) / 1e6, (job.seen() - finished) / 1e6, rs.getBoolean(3) ? 1 : 0});
                }
            }
        }
        return phases;
    }

    /** Seconds per link of a loop of single POST .../links. */
    private double singleLoop(List<UUID> entities) throws Exception {
        long started = System.nanoTime();
        for (int i = 0; i < SINGLE; i++) {
            post("/api/p/bench/links", "{\"input\":\"" + entities.get(i) + "\",\"output\":\"" + entities.get(i + 1)
                    + "\",\"linkType\":\"" + LinkRows.TYPE + "\"}", 201);
        }
        return seconds(started) / SINGLE;
    }

    // ---- HTTP ---------------------------------------------------------------------------------

    /** Posts a body streamed as it is generated (chunked: its length is not known before). */
    private String submit(String path, String contentType, InputStream body) throws Exception {
        return submit(path, contentType, HttpRequest.BodyPublishers.ofInputStream(() -> body));
    }

    private String submit(String path, String contentType, HttpRequest.BodyPublisher body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", service.bearer()).header("Content-Type", contentType)
                .POST(body).timeout(Duration.ofMinutes(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).path("result").path("job.token").asText();
    }

    private void post(String path, String body, int status) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", service.bearer()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    }

    private void put(String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", service.bearer()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", service.bearer()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create(service.baseUrl() + path);
    }

    // ---- measurements -------------------------------------------------------------------------

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** Seconds since the service's JVM was launched, about its uptime, which the GC log uses. */
    private double uptime() {
        return seconds(launched);
    }

    private static final Pattern GC = Pattern.compile("^\\[(\\d+\\.\\d+)s].*?(\\d+)([KMG])->(\\d+)([KMG])\\(\\d+[KMG]\\)");

    /** The largest heap occupancy before a collection between two uptimes, in MB. */
    private static long peakHeapMb(Path gcLog, double from, double to) throws IOException {
        long peak = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC.matcher(line);
            if (m.find()) {
                double at = Double.parseDouble(m.group(1));
                if (at >= from && at <= to) {
                    peak = Math.max(peak, megabytes(Long.parseLong(m.group(2)), m.group(3)));
                }
            }
        }
        return peak;
    }

    private static long megabytes(long value, String unit) {
        return switch (unit) {
            case "K" -> value / 1024;
            case "G" -> value * 1024;
            default -> value;
        };
    }


    /** Where the last NDJSON import's WAL went, by table, per link. */
    private void walByTable(Round last) {
        report.line("");
        report.line("WAL of the last NDJSON import by table (pg_walinspect), %,d bytes a link in all:", last.ndjsonWal() / LINKS);
        report.line("");
        report.line("| table | records a link | bytes a link | of them whole pages |");
        report.line("|---|---:|---:|---:|");
        for (WalByTable.Share share : last.ndjsonWalShares()) {
            report.line("| %s | %.2f | %.1f | %.1f |", share.table(), (double) share.records() / LINKS,
                    (double) share.bytes() / LINKS, (double) share.wholePages() / LINKS);
        }
    }

    /** Where the database spent its time, by statement. */
    private void statements(Connection sql) throws Exception {
        report.line("");
        report.line("| statement | calls | total s | mean ms |");
        report.line("|---|---:|---:|---:|");
        try (Statement s = sql.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            try (ResultSet rs = s.executeQuery("""
                    SELECT regexp_replace(left(query, 110), '\\s+', ' ', 'g'), calls, total_exec_time / 1000,
                           mean_exec_time
                      FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15""")) {
                while (rs.next()) {
                    report.line("| %s | %d | %.2f | %.2f |", rs.getString(1).replace("|", "\\|"), rs.getLong(2),
                            rs.getDouble(3), rs.getDouble(4));
                }
            }
        }
    }

    /**
     * The statements a 10-link job costs on the idle service, from its POST to the end of its event stream
     * (the stream's own included), each a round trip or (a transaction's first after its BEGIN) half of
     * one: those the clients sent (not those run inside them, by triggers or functions) while {@link #SMALL}
     * of them run one after another, less those counted in as long a time with none (the workers' polls,
     * the heartbeats), per job.
     */
    private void smallJobStatements(Connection sql) throws Exception {
        double busy = SMALL;
        long started = System.nanoTime();
        Map<String, Long> withJobs = statementCalls(sql, () -> {
            for (int i = 0; i < SMALL; i++) {
                smallJob();
            }
        });
        long took = System.nanoTime() - started;
        Map<String, Long> idle = statementCalls(sql, () -> Thread.sleep(Duration.ofNanos(took).toMillis()));
        report.line("");
        report.line("| statements of one 10-link job on the idle service (%d jobs, less as long idle) | a job |", SMALL);
        report.line("|---|---:|");
        double total = 0;
        for (Map.Entry<String, Long> call : withJobs.entrySet()) {
            double each = (call.getValue() - idle.getOrDefault(call.getKey(), 0L)) / busy;
            if (each >= 0.05) {
                report.line("| %s | %.2f |", call.getKey().replace("|", "\\|"), each);
                total += each;
            }
        }
        report.line("| all | %.1f |", total);
    }

    private interface Work {
        void run() throws Exception;
    }

    /** Calls of each statement (its first 100 characters) while {@code work} runs, from pg_stat_statements. */
    private static Map<String, Long> statementCalls(Connection sql, Work work) throws Exception {
        try (Statement s = sql.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            s.execute("SELECT pg_stat_statements_reset()");
            work.run();
            Map<String, Long> calls = new java.util.TreeMap<>();
            try (ResultSet rs = s.executeQuery("""
                    SELECT regexp_replace(left(query, 100), '\\s+', ' ', 'g'), sum(calls) FROM pg_stat_statements
                     WHERE toplevel AND query NOT LIKE '%pg_stat_statements%' GROUP BY 1""")) {
                while (rs.next()) {
                    calls.put(rs.getString(1), rs.getLong(2));
                }
            }
            return calls;
        }
    }

    private static String cpu() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
    }

    private static String version(Connection sql) throws Exception {
        try (Statement s = sql.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1);
        }
    }

    private static String chunkSize() {
        return System.getenv().getOrDefault("BULKLINKS_INTAKE_CHUNK_SIZE", "1000");
    }
}
