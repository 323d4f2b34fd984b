package dev.bulklinks.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where an import's write-ahead log went, table by table (a TOAST table and its index counted as their
 * table's), from PostgreSQL's {@code pg_walinspect}: the records of an LSN range, their bytes, and the
 * bytes of whole pages logged after a checkpoint. A physical replication slot keeps the range's WAL until
 * it is read (a checkpoint during the import would otherwise recycle its first segments).
 *
 * <p>On the embedded database the benchmark connects as its superuser; on a server of one's own, as
 * {@code postgres} in the benchmark's database, once: {@code CREATE SCHEMA walinspect; CREATE EXTENSION
 * pg_walinspect SCHEMA walinspect; GRANT USAGE ON SCHEMA walinspect TO bench; GRANT pg_read_server_files
 * TO bench; ALTER USER bench REPLICATION}.
 */
final class WalByTable {

    private static final String SLOT = "bench_wal_by_table";

    /** One table's share of the range. */
    record Share(String table, long records, long bytes, long wholePages) {
    }

    private WalByTable() {
    }

    /** Sets up what reading the log needs; null when it can, else why not. */
    static String prepare(Connection sql) {
        try (Statement s = sql.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS walinspect");
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_walinspect SCHEMA walinspect");
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    /** Keeps the log from here on until {@link #release}. */
    static void hold(Connection sql) throws SQLException {
        release(sql);
        try (Statement s = sql.createStatement()) {
            s.execute("SELECT pg_create_physical_replication_slot('" + SLOT + "', true)");
        }
    }

    /** Lets the log go again. */
    static void release(Connection sql) throws SQLException {
        try (Statement s = sql.createStatement()) {
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                    + SLOT + "'");
        }
    }

    /** The log between two positions (bytes from 0/0), by table, the largest first. */
    static List<Share> between(Connection sql, long from, long to) throws SQLException {
        List<Share> shares = new ArrayList<>();
        try (PreparedStatement s = sql.prepareStatement("""
                WITH record AS (
                    SELECT record_length, fpi_length, resource_manager,
                           pg_filenode_relation(0, substring(block_ref FROM 'rel \\d+/\\d+/(\\d+)')::oid) AS rel
                      FROM walinspect.pg_get_wal_records_info(?::pg_lsn, ?::pg_lsn)),
                named AS (
                    SELECT record_length, fpi_length, CASE WHEN rel IS NULL THEN '(' || resource_manager || ')' ELSE
                           coalesce((SELECT t.relname || ' TOAST' FROM pg_class t
                                      WHERE t.reltoastrelid IN (rel, (SELECT indrelid FROM pg_index WHERE indexrelid = rel))),
                                    rel::text) END AS name
                      FROM record)
                SELECT name, count(*), sum(record_length), sum(fpi_length) FROM named
                 GROUP BY name ORDER BY 3 DESC""")) {
            s.setString(1, lsn(from));
            s.setString(2, lsn(to));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    shares.add(new Share(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return shares;
    }

    private static String lsn(long position) {
        return String.format(Locale.ROOT, "%X/%X", position >>> 32, position & 0xffffffffL);
    }
}
