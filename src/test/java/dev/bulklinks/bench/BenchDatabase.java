package dev.bulklinks.bench;

import dev.bulklinks.database.EmbeddedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The PostgreSQL a benchmark measures on, serving both the floor and the packaged service: the
 * embedded one, started here with durable commits (the default), or a server of one's own given by
 * {@code -Dbench.jdbc-url}, {@code -Dbench.jdbc-user} and {@code -Dbench.jdbc-password}, whose
 * {@code public} schema is emptied first (give it a database of its own).
 */
final class BenchDatabase implements AutoCloseable {

    private final EmbeddedDatabase embedded;
    private final String url;
    private final String user;
    private final String password;

    private BenchDatabase(EmbeddedDatabase embedded, String url, String user, String password) {
        this.embedded = embedded;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The server the system properties name, or an embedded one in {@code dir}. */
    static BenchDatabase open(Path dir, boolean statements) throws SQLException {
        String url = System.getProperty("bench.jdbc-url", "");
        if (url.isBlank()) {
            EmbeddedDatabase db = EmbeddedDatabase.open(dir, true, true, statements
                    ? Map.of("shared_preload_libraries", "pg_stat_statements", "pg_stat_statements.track", "all")
                    : Map.of());
            return new BenchDatabase(db, db.jdbcUrl(), db.user(), db.password());
        }
        BenchDatabase db = new BenchDatabase(null, url, System.getProperty("bench.jdbc-user", "postgres"),
                System.getProperty("bench.jdbc-password", ""));
        // The service migrates an empty schema at its start; a previous run's tables would be found.
        try (Connection sql = db.connect(); Statement s = sql.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
        return db;
    }

    /** "embedded" or "external": names the result files of a run. */
    String target() {
        return embedded == null ? "external" : "embedded";
    }

    boolean embedded() {
        return embedded != null;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** The service's environment that points it at this server. */
    Map<String, String> serviceEnvironment() {
        return Map.of("QUARKUS_DATASOURCE_JDBC_URL", url, "QUARKUS_DATASOURCE_USERNAME", user,
                "QUARKUS_DATASOURCE_PASSWORD", password);
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
