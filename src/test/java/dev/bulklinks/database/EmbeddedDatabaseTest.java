package dev.bulklinks.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default database keeps its data on disk across restarts. */
class EmbeddedDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void dataSurvivesARestart() throws Exception {
        EmbeddedDatabase first = EmbeddedDatabase.open(dir, false, true);
        try (Connection c = connect(first); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('still here')");
        } finally {
            first.close();
        }

        EmbeddedDatabase second = EmbeddedDatabase.open(dir, false, true);
        try (Connection c = connect(second); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
        } finally {
            second.close();
        }
    }

    private static Connection connect(EmbeddedDatabase db) throws Exception {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
    }
}
