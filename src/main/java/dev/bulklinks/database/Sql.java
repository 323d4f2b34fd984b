package dev.bulklinks.database;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The connection and statement boilerplate of the JDBC repositories, and nothing more: the SQL stays
 * written out in the repository that runs it. Each call takes the pool's connection, which inside a
 * transaction is the transaction's own, so statements run in the caller's transaction. Parameters
 * are bound in order with {@link PreparedStatement#setObject}: strings, numbers, booleans, UUIDs,
 * {@link java.sql.Array}s and nulls; an array made from values is given as {@link #array}.
 */
@ApplicationScoped
public class Sql {

    /** Reads one row of a result. */
    public interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Work that needs the connection itself: a {@code COPY}, a batch, a read with a fetch size. */
    public interface WithConnection<T> {
        T run(Connection c) throws SQLException;
    }

    /** An array parameter made on the statement's connection as it is bound ({@link #array}). */
    private record ArrayOf(String elementType, Object[] values) {
    }

    private final AgroalDataSource dataSource;

    Sql(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The parameter that binds {@code values} as a PostgreSQL array of {@code elementType} ({@code "uuid"},
     * {@code "text"}, {@code "int4"}...): {@link Connection#createArrayOf} needs the connection, which the
     * repository does not hold, so the array is made on the statement's own connection as it is bound.
     */
    public static Object array(String elementType, Object[] values) {
        return new ArrayOf(elementType, values);
    }

    /** Runs an INSERT, UPDATE or DELETE; answers the number of rows it touched. */
    public int update(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    /** Every row of a query, read by {@code row}. */
    public <T> List<T> list(String sql, Row<T> row, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params)) {
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
            }
            return rows;
        }
    }

    /** The first row of a query, if it has any (empty too when {@code row} reads it as null). */
    public <T> Optional<T> first(String sql, Row<T> row, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params)) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(row.read(rs)) : Optional.empty();
            }
        }
    }

    /** The one row a query always answers (a count, an aggregate, a {@code RETURNING} of a row known to exist). */
    public <T> T one(String sql, Row<T> row, Object... params) throws SQLException {
        return first(sql, row, params).orElseThrow(() -> new IllegalStateException("no row for: " + sql));
    }

    /** Runs {@code work} with the connection (closed afterwards: handed back to the pool or the transaction). */
    public <T> T with(WithConnection<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        }
    }

    /**
     * {@code sql} prepared on {@code c} with its parameters bound as the other calls bind them: for work in
     * {@link #with} that runs the statement itself (a read with a fetch size). The caller closes it.
     */
    public static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                if (params[i] instanceof ArrayOf array) {
                    ps.setArray(i + 1, c.createArrayOf(array.elementType(), array.values()));
                } else {
                    ps.setObject(i + 1, params[i]);
                }
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }
}
