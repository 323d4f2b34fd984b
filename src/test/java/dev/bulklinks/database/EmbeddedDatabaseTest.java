package dev.bulklinks.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default database keeps its data on disk across restarts, and lets in only who knows the
 * password kept in its data directory.
 */
class EmbeddedDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void dataSurvivesARestart() throws Exception {
        EmbeddedDatabase first = EmbeddedDatabase.open(dir, false, true);
        String password = first.password();
        try (Connection c = connect(first); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('still here')");
        } finally {
            first.close();
        }

        EmbeddedDatabase second = EmbeddedDatabase.open(dir, false, true);
        try (Connection c = connect(second); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(second.password()).isEqualTo(password);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
        } finally {
            second.close();
        }
    }

    @Test
    void onlyTheOwnerOfThePasswordFileGetsIn() throws Exception {
        EmbeddedDatabase db = EmbeddedDatabase.open(dir, false, true);
        try {
            assertRefusedWithoutThePassword(db);
            try (Connection c = connect(db)) {
                assertThat(c.isValid(5)).isTrue();
            }
            assertProtected(dir, db.password());
        } finally {
            db.close();
        }
    }

    /** A directory made before passwords were asked for trusted every local connection: no more. */
    @Test
    void aDirectoryMadeWithoutAPasswordGetsOne() throws Exception {
        EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60)).setRegisterShutdownHook(false).start();
        try (Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('from before')");
        } finally {
            old.close();
        }
        assertThat(dir.resolve(EmbeddedDatabase.PASSWORD_FILE)).doesNotExist();

        for (int start = 0; start < 2; start++) {
            EmbeddedDatabase db = EmbeddedDatabase.open(dir, false, true);
            try {
                assertRefusedWithoutThePassword(db);
                try (Connection c = connect(db); Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("from before");
                }
                assertProtected(dir, db.password());
            } finally {
                db.close();
            }
        }
    }

    private static void assertRefusedWithoutThePassword(EmbeddedDatabase db) {
        assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), db.user(), "").close())
                .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), db.user(), "not-the-password").close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    }

    /** The password is in the data directory, for its owner only, and no rule of pg_hba.conf trusts. */
    private static void assertProtected(Path dir, String password) throws Exception {
        Path file = dir.resolve(EmbeddedDatabase.PASSWORD_FILE);
        assertThat(Files.readString(file).strip()).isEqualTo(password);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readAllLines(dir.resolve("pg_hba.conf")))
                .filteredOn(line -> !line.isBlank() && !line.strip().startsWith("#"))
                .isNotEmpty()
                .allSatisfy(rule -> assertThat(rule).endsWith("scram-sha-256"));
        assertThat(dir.resolveSibling("." + dir.getFileName() + "." + EmbeddedDatabase.PASSWORD_FILE)).doesNotExist();
    }

    private static Connection connect(EmbeddedDatabase db) throws Exception {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }
}
