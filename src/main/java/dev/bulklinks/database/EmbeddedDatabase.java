package dev.bulklinks.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The embedded PostgreSQL server: one per running application, its data kept in a directory so that
 * jobs survive a restart.
 *
 * <p>It is stopped after the application, never beside it: {@link EmbeddedDatabaseLifecycle} stops it
 * once the workers have stopped, and a JVM hook covers an application that never started. Zonky's own
 * hook is off because it would stop the server while the workers still finish their chunks.
 *
 * <p>Every connection, over TCP or the Unix socket, must give the superuser's password, which is kept
 * in {@value #PASSWORD_FILE} in the data directory, readable by its owner only: the server holds the
 * key that signs tokens, and listens where any local user can reach it. The password is made when the
 * directory is (initdb reads it from a file, and sets SCRAM authentication from the start); a directory
 * made before passwords were asked for gets one at its first start (see {@link #setPassword}).
 */
public final class EmbeddedDatabase {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final String USER = "postgres";
    /** The file, in the data directory, that holds the superuser's password. */
    public static final String PASSWORD_FILE = "postgres-password";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Pattern TRUST = Pattern.compile("^([ \\t]*(?:local|host\\S*)[ \\t].*[ \\t])trust([ \\t]*)$", Pattern.MULTILINE);
    private static EmbeddedDatabase running;

    private final EmbeddedPostgres postgres;
    private final String password;
    private final CountDownLatch applicationStopped = new CountDownLatch(1);
    private volatile boolean applicationRunning;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
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
            Path passwordFile = dir.resolve(PASSWORD_FILE);
            // initdb wants an empty directory, so the password it reads waits beside it until then.
            Path pending = dir.resolveSibling("." + dir.getFileName() + "." + PASSWORD_FILE);
            boolean initdb = clean || !Files.exists(dir.resolve("postgresql.conf"));
            String password;
            boolean unprotected = false;
            if (initdb) {
                password = newPassword();
                writeOwnerOnly(pending, password);
                // Zonky runs "initdb -A trust" and appends these as "--key=value"; the later options win.
                builder.setLocaleConfig("pwfile", pending.toString())
                        .setLocaleConfig("auth-host", "scram-sha-256")
                        .setLocaleConfig("auth-local", "scram-sha-256");
            } else if (Files.exists(passwordFile)) {
                password = Files.readString(passwordFile).strip();
            } else if (Files.exists(pending)) {
                password = Files.readString(pending).strip(); // initdb ran, then the process died
            } else {
                password = newPassword();
                unprotected = true;
            }
            // Zonky's own start-up check connects as the superuser: with the password, like everyone.
            builder.setConnectConfig("password", password);
            builder.setDataDirectoryCustomizer(data -> protect(data.toPath(), pending));
            EmbeddedPostgres postgres = builder.start();
            if (unprotected) {
                setPassword(postgres, dir, password);
            }
            LOG.infof("Embedded PostgreSQL started on port %d with data in %s (%d ms). "
                    + "Set QUARKUS_DATASOURCE_JDBC_URL to use another server.",
                    postgres.getPort(), dir, (System.nanoTime() - started) / 1_000_000);
            return new EmbeddedDatabase(postgres, password);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dir
                    + ". If another instance of the service uses this directory, point this one at that database"
                    + " with QUARKUS_DATASOURCE_JDBC_URL, or set bulklinks.embedded-postgres.data-dir", e);
        }
    }

    /**
     * Runs after initdb, before the server starts: the password initdb was given moves into the data
     * directory, and once a password is kept there no line of pg_hba.conf trusts a connection.
     */
    private static void protect(Path dir, Path pending) {
        try {
            Path passwordFile = dir.resolve(PASSWORD_FILE);
            if (Files.exists(pending)) {
                if (Files.exists(passwordFile)) {
                    Files.delete(pending);
                } else {
                    Files.move(pending, passwordFile, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            if (Files.exists(passwordFile)) {
                ownerOnly(passwordFile);
                requirePasswords(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not protect the embedded PostgreSQL in " + dir, e);
        }
    }

    /**
     * Gives a password to the superuser of a data directory made before passwords were asked for,
     * whose pg_hba.conf still trusts every local connection: set over that trust at this first start,
     * then kept in the directory, then required, and the server reloads its pg_hba.conf. Until the
     * reload (well under a second, once) the server still trusts, as it always had.
     */
    private static void setPassword(EmbeddedPostgres postgres, Path dir, String password) throws IOException {
        LOG.infof("Setting a password for the embedded PostgreSQL in %s (kept in %s, readable by you only);"
                + " connections without it are refused from now on", dir, dir.resolve(PASSWORD_FILE));
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            // ALTER ROLE takes no bind parameter; the password is base64url, so it is a safe literal.
            s.execute("ALTER ROLE " + USER + " PASSWORD '" + password + "'");
            writeOwnerOnly(dir.resolve(PASSWORD_FILE), password);
            requirePasswords(dir);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("could not set a password for the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Turns every {@code trust} line of the directory's pg_hba.conf into {@code scram-sha-256}. */
    private static void requirePasswords(Path dir) throws IOException {
        Path hba = dir.resolve("pg_hba.conf");
        String rules = Files.readString(hba);
        String required = TRUST.matcher(rules).replaceAll("$1scram-sha-256$2");
        if (!required.equals(rules)) {
            Files.writeString(hba, required);
        }
    }

    private static String newPassword() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** Writes {@code text} to a file only its owner may read, created so from its first byte. */
    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, text + "\n");
    }

    private static void ownerOnly(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
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

    /** The superuser's password, as kept in the data directory's {@value #PASSWORD_FILE}. */
    public String password() {
        return password;
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
