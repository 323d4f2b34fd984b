package dev.bulklinks.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.fixtures.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ps} shows every local user: the command lines of the packaged service and of its
 * embedded PostgreSQL carry none of the secrets they hold (the token signing key, the database's
 * password, the admin's API key).
 */
class NoSecretOnCommandLineIT {

    @TempDir
    Path dir;

    @Test
    void psShowsNoSecretOfTheServiceNorOfItsDatabase() throws Exception {
        Path data = dir.resolve("data");
        try (ServiceProcess service = ServiceProcess.start(dir.resolve("service"),
                Map.of("BULKLINKS_EMBEDDED_POSTGRES_DATA_DIR", data.toString()))) {
            service.bearer(); // the first sign-in makes the signing key
            String password = Files.readString(data.resolve(EmbeddedDatabase.PASSWORD_FILE)).strip();
            List<String> postmaster = Files.readAllLines(data.resolve("postmaster.pid"));
            long postgres = Long.parseLong(postmaster.get(0).strip());
            String signingKey;
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + postmaster.get(3).strip()
                    + "/postgres", "postgres", password);
                    ResultSet rs = c.createStatement().executeQuery("SELECT private_key FROM signing_key")) {
                assertThat(rs.next()).as("the service made its signing key").isTrue();
                signingKey = rs.getString(1);
            }

            List<String> commandLines = new ArrayList<>();
            commandLines.add(commandLine(service.pid()).orElseThrow());
            commandLines.add(commandLine(postgres).orElseThrow());
            // A child (a backend, autovacuum) may end between the listing and the reading: it is gone from ps too.
            ProcessHandle.of(postgres).map(ProcessHandle::children).orElseGet(Stream::empty)
                    .forEach(child -> commandLine(child.pid()).ifPresent(commandLines::add));

            assertThat(commandLines.get(0)).contains("quarkus-run.jar");
            assertThat(commandLines.get(1)).contains("postgres").contains(data.toString());
            assertThat(commandLines).allSatisfy(line -> assertThat(line)
                    .doesNotContain(password)
                    .doesNotContain(ServiceProcess.ADMIN_KEY)
                    .doesNotContain(signingKey.substring(0, 64))
                    .doesNotContain("PRIVATE KEY")
                    .doesNotContainPattern("MII[A-Za-z0-9+/]{40}")); // a base64 DER key
        }
    }

    /** The process's arguments as {@code ps -o args} shows them; empty when the process has ended. */
    private static Optional<String> commandLine(long pid) {
        try {
            return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' '));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the command line of process " + pid, e);
        }
    }
}
