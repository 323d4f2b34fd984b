package dev.bulklinks.bench;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * The floor no code of ours writes: tables of its own, none of the service's, so that its cost holds
 * none of our design choices. {@code COPY} of the N link rows into an unlogged staging table (the
 * floor of intake), then one {@code INSERT ... SELECT} joined to the entities into a links table with
 * a primary key on the id and an index on input and one on output, nothing else (with the copy, the
 * floor of a whole import).
 */
final class MinimalFloor {

    private final Connection sql;

    /** Makes the floor's tables, its entities copied in from {@code entities}; nothing timed yet. */
    MinimalFloor(Connection sql, List<UUID> entities) throws Exception {
        this.sql = sql;
        try (Statement s = sql.createStatement()) {
            s.execute("CREATE TABLE floor_entity (id uuid PRIMARY KEY, type text NOT NULL, name text NOT NULL)");
            s.execute("CREATE UNLOGGED TABLE floor_staging (id uuid, input uuid, output uuid, link_type text, data jsonb)");
            s.execute("""
                    CREATE TABLE floor_link (
                        id        uuid PRIMARY KEY,
                        input     uuid NOT NULL,
                        output    uuid NOT NULL,
                        link_type text NOT NULL,
                        data      jsonb NOT NULL)""");
            s.execute("CREATE INDEX floor_link_input ON floor_link (input)");
            s.execute("CREATE INDEX floor_link_output ON floor_link (output)");
        }
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < entities.size(); i++) {
            rows.append(entities.get(i)).append("\tfolder\tf").append(i).append('\n');
        }
        copy("COPY floor_entity (id, type, name) FROM STDIN",
                new ByteArrayInputStream(rows.toString().getBytes(StandardCharsets.UTF_8)));
        try (Statement s = sql.createStatement()) {
            s.execute("ANALYZE floor_entity");
        }
    }

    /** Seconds of the raw {@code COPY} of the rows into the unlogged staging table. */
    double copy(LinkRows rows) throws Exception {
        long started = System.nanoTime();
        copy("COPY floor_staging (id, input, output, link_type, data) FROM STDIN", rows.copyRows());
        return seconds(started);
    }

    /** Seconds of the {@code INSERT ... SELECT} joined to the entities; answers after checking every row went in. */
    double insertSelect(int expected) throws Exception {
        long started = System.nanoTime();
        try (Statement s = sql.createStatement()) {
            int inserted = s.executeUpdate("""
                    INSERT INTO floor_link (id, input, output, link_type, data)
                    SELECT s.id, s.input, s.output, s.link_type, s.data
                      FROM floor_staging s
                      JOIN floor_entity i ON i.id = s.input
                      JOIN floor_entity o ON o.id = s.output""");
            if (inserted != expected) {
                throw new AssertionError("the floor inserted " + inserted + " links of " + expected);
            }
        }
        return seconds(started);
    }

    /** Drops the floor's tables, so that the service's run finds the database as it would alone. */
    void drop() throws Exception {
        try (Statement s = sql.createStatement()) {
            s.execute("DROP TABLE floor_link, floor_staging, floor_entity");
        }
    }

    private void copy(String statement, java.io.InputStream rows) throws Exception {
        sql.unwrap(PGConnection.class).getCopyAPI().copyIn(statement, rows);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
