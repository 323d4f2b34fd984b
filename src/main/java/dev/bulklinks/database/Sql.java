package dev.bulklinks.database;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

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

    /**
     * An array parameter made on the statement's connection as it is bound ({@link #array}). PgJDBC
     * sends an array of {@code Object}s as text, quoting and escaping every element a character at a
     * time; so text and integer values are handed over as {@code String[]} and {@code Integer[]}, which
     * it sends in PostgreSQL's binary form (no escaping, and no parsing on the server), and UUIDs as the
     * array's text written out here, in one pass (a UUID needs no quoting). Measured 2026-12-01 (JFR,
     * benchmark, 1M links): building the link insert's arrays was a fifth of a worker's samples.
     */
    private record ArrayOf(String elementType, Object[] values) {

        void bind(Connection c, PreparedStatement ps, int index) throws SQLException {
            String uuids = "uuid".equals(elementType) ? uuidLiteral(values) : null;
            if (uuids != null) {
                ps.setObject(index, uuids, Types.OTHER);
                return;
            }
            Object[] typed = switch (elementType) {
                case "text", "varchar" -> typed(values, String[].class);
                case "int4" -> typed(values, Integer[].class);
                case "int8" -> typed(values, Long[].class);
                default -> values;
            };
            ps.setArray(index, c.createArrayOf(elementType, typed));
        }

        /** {@code values} in an array of {@code type}; as they are when one is of another class. */
        private static Object[] typed(Object[] values, Class<? extends Object[]> type) {
            try {
                return Arrays.copyOf(values, values.length, type);
            } catch (ArrayStoreException e) {
                return values;
            }
        }

        /** The array literal of {@code values}, all UUIDs or nulls; null when one is anything else. */
        private static String uuidLiteral(Object[] values) {
            StringBuilder literal = new StringBuilder(2 + values.length * 37).append('{');
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    literal.append(',');
                }
                if (values[i] == null) {
                    literal.append("NULL");
                } else if (values[i] instanceof UUID id) {
                    literal.append(id);
                } else {
                    return null;
                }
            }
            return literal.append('}').toString();
        }
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
                    array.bind(c, ps, i + 1);
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
