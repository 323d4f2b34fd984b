package dev.bulklinks.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The embedded PostgreSQL server: one per running application, its data kept in a directory so that
 * jobs survive a restart.
 *
 * <p>It is stopped after the application, never beside it: {@link EmbeddedDatabaseLifecycle} stops it
 * once the workers have stopped, and a JVM hook covers an application that never started. Zonky's own
 * hook is off because it would stop the server while the workers still finish their chunks.
 */
public final class EmbeddedDatabase {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final String USER = "postgres";
    private static EmbeddedDatabase running;

    private final EmbeddedPostgres postgres;
    private final CountDownLatch applicationStopped = new CountDownLatch(1);
    private volatile boolean applicationRunning;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts the application's server on {@code dataDir}, or answers the one already running. It is
     * stopped after the application (see {@link EmbeddedDatabaseLifecycle}), or when the JVM exits.
     *
     * @param clean wipe the directory first (tests)
     * @param synchronousCommit keep PostgreSQL's durable commits; tests turn it off for speed
     */
    public static synchronized EmbeddedDatabase start(Path dataDir, boolean clean, boolean synchronousCommit) {
        if (running == null) {
            running = open(dataDir, clean, synchronousCommit);
            Runtime.getRuntime().addShutdownHook(new Thread(running::awaitApplicationThenStop, "embedded-postgres-stop"));
        }
        return running;
    }

    /** Starts a server of its own on {@code dataDir}; the caller stops it with {@link #close}. */
    public static EmbeddedDatabase open(Path dataDir, boolean clean, boolean synchronousCommit) {
        return open(dataDir, clean, synchronousCommit, Map.of());
    }

    /** As {@link #open(Path, boolean, boolean)}, with more PostgreSQL settings. */
    public static EmbeddedDatabase open(Path dataDir, boolean clean, boolean synchronousCommit,
            Map<String, String> settings) {
        return open(dataDir, clean, synchronousCommit, settings, 0);
    }

    /** As {@link #open(Path, boolean, boolean, Map)}, on {@code port} (0: any free port). */
    public static EmbeddedDatabase open(Path dataDir, boolean clean, boolean synchronousCommit,
            Map<String, String> settings, int port) {
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            stopOrphanedServer(dir);
            long started = System.nanoTime();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(clean)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("synchronous_commit", synchronousCommit ? "on" : "off")
                    .setServerConfig("max_connections", "200")
                    .setRegisterShutdownHook(false);
            settings.forEach(builder::setServerConfig);
            if (port != 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            LOG.infof("Embedded PostgreSQL started on port %d with data in %s (%d ms). "
                    + "Set QUARKUS_DATASOURCE_JDBC_URL to use another server.",
                    postgres.getPort(), dir, (System.nanoTime() - started) / 1_000_000);
            return new EmbeddedDatabase(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dir
                    + ". If another instance of the service uses this directory, point this one at that database"
                    + " with QUARKUS_DATASOURCE_JDBC_URL, or set bulklinks.embedded-postgres.data-dir", e);
        }
    }

    /** Stops the server started by this JVM, if any; the next {@link #start} starts a new one. */
    public static synchronized void stopCurrent() {
        if (running != null) {
            running.applicationStopped.countDown();
            running.close();
            running = null;
        }
    }

    static synchronized void applicationStarted() {
        if (running != null) {
            running.applicationRunning = true;
        }
    }

    private void awaitApplicationThenStop() {
        if (applicationRunning) {
            try {
                applicationStopped.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close();
    }

    /** Stops the server; its data stays in the directory unless it was opened clean. */
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Could not stop the embedded PostgreSQL cleanly", e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    public int port() {
        return postgres.getPort();
    }

    public String user() {
        return USER;
    }

    /**
     * A service killed with SIGKILL leaves its PostgreSQL running, holding the data directory.
     * When no live JVM holds Zonky's lock on the directory, such a server is an orphan: stop it.
     */
    private static void stopOrphanedServer(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
            return;
        }
        long pid = Long.parseLong(lines.get(0).strip());
        Optional<ProcessHandle> server = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
        if (server.isEmpty()) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir.resolve("epg-lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new IOException("data directory " + dir + " is in use by another running service");
            }
        }
        LOG.warnf("Stopping PostgreSQL (pid %d) left running on %s by a previous run that did not shut down", pid, dir);
        ProcessHandle process = server.get();
        process.destroy(); // SIGTERM: PostgreSQL's smart shutdown; its clients are gone with the old JVM
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }
}
