package dev.bulklinks.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.api.JsonSettings;
import dev.bulklinks.api.LimitedInputStream;
import dev.bulklinks.api.StrictJsonFactory;
import dev.bulklinks.bench.LinkRows;
import dev.bulklinks.database.EmbeddedDatabase;
import dev.bulklinks.job.ChunkWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The intake's two steps timed alone, without HTTP and without the service (issue 16): reading a body
 * of N link items into the spool ({@link BodySpooler}, behind the same SHA-256 and size limit as a
 * request), for NDJSON and JSON, and the one {@code COPY} of the spooled rows into {@code job_chunk}
 * ({@link ChunkWriter#copy}) on a real database, migrated by the service's own migrations. Prints the
 * best and the median of a few runs of each; out of the normal test run:
 *
 * <pre>
 * ./mvnw -B -Pbench verify -Dit.test=IntakeSpeedBench [-Dbench.links=1000000] [-Dbench.runs=5]
 *     [-Dbench.copy=true] [-Dbench.items-types=json,text]
 *     [-Dbench.jdbc-url=jdbc:postgresql://localhost:5432/bench -Dbench.jdbc-user=bench -Dbench.jdbc-password=bench]
 * </pre>
 *
 * or its {@link #main} on the test class path (for a profiler). Without {@code bench.jdbc-url}, the COPY
 * runs on an embedded PostgreSQL; a server of one's own has its {@code public} schema dropped first.
 * {@code bench.items-types} times the COPY once per type given to {@code job_chunk.items}.
 */
class IntakeSpeedBench {

    private static final int LINKS = Integer.getInteger("bench.links", 1_000_000);
    private static final int RUNS = Integer.getInteger("bench.runs", 5);
    private static final boolean COPY = Boolean.parseBoolean(System.getProperty("bench.copy", "true"));
    private static final List<String> ITEMS_TYPES = Arrays.stream(System.getProperty("bench.items-types", "").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).toList();
    private static final int CHUNK_SIZE = 1000;
    private static final Path DIR = Path.of("target/bench-intake");

    @Test
    void intake() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper json = serviceMapper();
        Random random = new Random(42);
        List<UUID> entities = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            entities.add(new UUID(random.nextLong(), random.nextLong()));
        }
        LinkRows rows = new LinkRows(entities, LINKS, 7);
        // The service's way: items written back on a second thread; and all on one thread, for comparison.
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newCachedThreadPool();
        BodySpooler spooler = new BodySpooler(json, 1 << 20, 10_000_000, writers);
        BodySpooler oneThread = new BodySpooler(json, 1 << 20, 10_000_000, runnable -> {
            throw new java.util.concurrent.RejectedExecutionException("one thread");
        });
        System.out.printf(Locale.ROOT, "intake of %,d link items, %d runs each, %d cores, java %s%n", LINKS, RUNS,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        // The bodies are generated once into files, so that the generator's own time is not measured.
        Files.createDirectories(DIR);
        Path ndjson = DIR.resolve("links.ndjson");
        Path jsonBody = DIR.resolve("links.json");
        try (InputStream in = rows.ndjson()) {
            Files.copy(in, ndjson, StandardCopyOption.REPLACE_EXISTING);
        }
        try (InputStream in = rows.json()) {
            Files.copy(in, jsonBody, StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.printf(Locale.ROOT, "bodies: NDJSON %,d bytes, JSON %,d bytes%n", Files.size(ndjson),
                Files.size(jsonBody));
        time("read the NDJSON file alone", () -> {
            try (InputStream in = Files.newInputStream(ndjson)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        });
        time("SHA-256 of the NDJSON file alone", () -> {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(ndjson), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            digest.digest();
        });
        Supplier<InputStream> ndjsonBody = () -> open(ndjson);
        Supplier<InputStream> jsonBodyStream = () -> open(jsonBody);
        time("read NDJSON into spool, one thread", () -> spoolInto(oneThread, ndjsonBody, Intake.Format.NDJSON, null));
        time("read JSON into spool, one thread", () -> spoolInto(oneThread, jsonBodyStream, Intake.Format.JSON, null));
        time("read NDJSON into spool, written on a 2nd", () -> spoolInto(spooler, ndjsonBody, Intake.Format.NDJSON, null));
        time("read JSON into spool, written on a 2nd", () -> spoolInto(spooler, jsonBodyStream, Intake.Format.JSON, null));

        try (Spool spool = Spool.create(DIR); Spool fromJson = Spool.create(DIR)) {
            spoolInto(spooler, ndjsonBody, Intake.Format.NDJSON, spool);
            spoolInto(spooler, jsonBodyStream, Intake.Format.JSON, fromJson);
            // Any change to the reading must leave the rows as they were: compare these between versions.
            System.out.printf(Locale.ROOT, "spool: %,d bytes, SHA-256 from NDJSON %s, from JSON %s%n", spool.size(),
                    sha256(spool), sha256(fromJson));
            if (COPY) {
                copy(spool);
            }
        }
    }

    private static String sha256(Spool spool) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        // Not closed: that would close the spool's file (Intake leaves it to the spool, too).
        new DigestInputStream(spool.input(), digest).transferTo(OutputStream.nullOutputStream());
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    private static InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one body into a spool (a new one when {@code into} is null), as Intake.store does. */
    private static void spoolInto(BodySpooler spooler, Supplier<InputStream> body, Intake.Format format, Spool into)
            throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (Spool own = into == null ? Spool.create(DIR) : null) {
            Spool spool = into == null ? own : into;
            ChunkWriter writer = new ChunkWriter(spool.output(), CHUNK_SIZE);
            LimitedInputStream in = new LimitedInputStream(new DigestInputStream(body.get(), digest), 2L << 30, "");
            try (in) {
                spooler.spool(BulkResource.LINK_ITEMS, format, in, writer, false);
            }
            assertThat(writer.finish()).isEqualTo(LINKS);
            digest.digest();
        }
    }

    private static void copy(Spool spool) throws Exception {
        String url = System.getProperty("bench.jdbc-url", "");
        EmbeddedDatabase embedded = url.isBlank() ? EmbeddedDatabase.open(DIR.resolve("pg"), true, true) : null;
        try {
            String jdbc = embedded != null ? embedded.jdbcUrl() : url;
            String user = embedded != null ? embedded.user() : System.getProperty("bench.jdbc-user", "postgres");
            String password = embedded != null ? embedded.password() : System.getProperty("bench.jdbc-password", "");
            try (Connection c = DriverManager.getConnection(jdbc, user, password)) {
                if (embedded == null) {
                    try (Statement s = c.createStatement()) {
                        s.execute("DROP SCHEMA IF EXISTS public CASCADE");
                        s.execute("CREATE SCHEMA public");
                    }
                }
                Flyway.configure().dataSource(jdbc, user, password).locations("classpath:db/migration").load().migrate();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
                    rs.next();
                    System.out.println(rs.getString(1));
                    s.execute("INSERT INTO project (name) VALUES ('bench')");
                }
                List<String> types = ITEMS_TYPES.isEmpty() ? List.of("") : ITEMS_TYPES;
                for (String type : types) {
                    if (!type.isEmpty()) {
                        // type[:storage[:compression]], as json:EXTERNAL or text:EXTENDED:lz4
                        String[] parts = type.split(":");
                        try (Statement s = c.createStatement()) {
                            s.execute("TRUNCATE job CASCADE");
                            s.execute("ALTER TABLE job_chunk ALTER COLUMN items TYPE " + parts[0] + " USING items::"
                                    + parts[0] + ", ALTER COLUMN items SET STORAGE "
                                    + (parts.length > 1 ? parts[1] : "EXTERNAL")
                                    + (parts.length > 2 ? ", ALTER COLUMN items SET COMPRESSION " + parts[2] : ""));
                        }
                    }
                    String itemsType;
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                            "SELECT format_type(atttypid, atttypmod) || ' ' || attstorage::text || ' ' || attcompression::text"
                                    + " FROM pg_attribute"
                                    + " WHERE attrelid = 'job_chunk'::regclass AND attname = 'items'")) {
                        rs.next();
                        itemsType = rs.getString(1);
                    }
                    long[] size = new long[1];
                    // Each COPY into an empty table, with no dirty pages of the one before left to write.
                    Step empty = () -> {
                        try (Statement s = c.createStatement()) {
                            s.execute("TRUNCATE job CASCADE");
                            s.execute("CHECKPOINT");
                        }
                    };
                    time("COPY into job_chunk (items " + itemsType + ") and commit", empty, () -> {
                        c.setAutoCommit(false);
                        UUID token = UUID.randomUUID();
                        long seq;
                        try (PreparedStatement insert = c.prepareStatement(
                                "INSERT INTO job (token, project, kind) VALUES (?, 'bench', 'bulk_upsert_links') RETURNING seq")) {
                            insert.setObject(1, token);
                            try (ResultSet rs = insert.executeQuery()) {
                                rs.next();
                                seq = rs.getLong(1);
                            }
                        }
                        assertThat(ChunkWriter.copy(c, token, seq, 0, CHUNK_SIZE, spool.input(), false, null))
                                .isEqualTo((LINKS + CHUNK_SIZE - 1) / CHUNK_SIZE);
                        c.commit();
                        c.setAutoCommit(true);
                        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                                "SELECT pg_total_relation_size('job_chunk')")) {
                            rs.next();
                            size[0] = rs.getLong(1);
                        }
                    });
                    System.out.printf(Locale.ROOT, "  job_chunk then holds %,d bytes%n", size[0]);
                }
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** The service's ObjectMapper, made as JsonSettings makes it (Quarkus adds the modules found). */
    static ObjectMapper serviceMapper() {
        ObjectMapper mapper = new ObjectMapper(new StrictJsonFactory());
        mapper.findAndRegisterModules();
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        new JsonSettings().customize(mapper);
        return mapper;
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * Runs {@code step} RUNS times after one warm-up run; prints the best and the median of the time it
     * took, and of the CPU time of this thread (steadier than the former on a machine shared with other
     * work; the COPY's is spent by the server, so only its time counts).
     */
    private static void time(String what, Step step) throws Exception {
        time(what, () -> { }, step);
    }

    /** As {@link #time(String, Step)}, with {@code setup} run, untimed, before each run. */
    private static void time(String what, Step setup, Step step) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        setup.run();
        step.run();
        long[] ms = new long[RUNS];
        long[] cpu = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            setup.run();
            long started = System.nanoTime();
            long startedCpu = threads.getCurrentThreadCpuTime();
            step.run();
            ms[i] = (System.nanoTime() - started) / 1_000_000;
            cpu[i] = (threads.getCurrentThreadCpuTime() - startedCpu) / 1_000_000;
        }
        long[] sorted = ms.clone();
        Arrays.sort(sorted);
        long[] sortedCpu = cpu.clone();
        Arrays.sort(sortedCpu);
        System.out.printf(Locale.ROOT, "%-48s best %,6d ms  median %,6d ms  (cpu best %,6d ms  median %,6d ms)  runs %s%n",
                what, sorted[0], sorted[RUNS / 2], sortedCpu[0], sortedCpu[RUNS / 2], Arrays.toString(ms));
    }
}
