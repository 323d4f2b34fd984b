package dev.bulklinks.database;

import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * PostgreSQL {@code text[]} columns that hold an optional set, such as a link-type allow-list, where
 * NULL means "no list" and reads back as null. (Such a set is written with {@link Sql#array}, or null.)
 */
public final class TextArrays {

    private TextArrays() {
    }

    /** A {@code text[]} column as a set in its order, or null. */
    public static Set<String> toSet(Array array) throws SQLException {
        return array == null ? null : new LinkedHashSet<>(Arrays.asList((String[]) array.getArray()));
    }
}
