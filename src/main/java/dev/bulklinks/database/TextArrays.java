package dev.bulklinks.database;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * PostgreSQL {@code text[]} columns that hold an optional set, such as a link-type allow-list, where
 * NULL means "no list" and stays null both ways.
 */
public final class TextArrays {

    private TextArrays() {
    }

    /** {@code values} as a {@code text[]} parameter, or null. */
    public static Array of(Connection c, Collection<String> values) throws SQLException {
        return values == null ? null : c.createArrayOf("text", values.toArray());
    }

    /** A {@code text[]} column as a set in its order, or null. */
    public static Set<String> toSet(Array array) throws SQLException {
        return array == null ? null : new LinkedHashSet<>(Arrays.asList((String[]) array.getArray()));
    }
}
