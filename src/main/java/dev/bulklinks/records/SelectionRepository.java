package dev.bulklinks.records;

import dev.bulklinks.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** The SQL that expands a selection: children of a record, and searches by name and filters. */
@ApplicationScoped
public class SelectionRepository {

    private final Sql sql;

    SelectionRepository(Sql sql) {
        this.sql = sql;
    }

    public boolean exists(String project, UUID id) throws SQLException {
        return sql.first("SELECT 1 FROM entity WHERE project = ? AND id = ?", rs -> true, project, id).isPresent();
    }

    /** The children of {@code parent} in their order, at most {@code limit}. */
    public List<UUID> children(String project, UUID parent, int limit) throws SQLException {
        return sql.list("SELECT id FROM entity WHERE project = ? AND parent = ? ORDER BY position LIMIT ?",
                rs -> rs.getObject(1, UUID.class), project, parent, limit);
    }

    /**
     * The records that {@code search} finds, in their order, at most {@code limit}. Field names come
     * from a fixed list, data keys and values are parameters: nothing of the request enters the SQL text.
     */
    public List<UUID> search(String project, Selection.Search search, int limit) throws SQLException {
        StringBuilder select = new StringBuilder("SELECT id FROM entity WHERE project = ?");
        List<Object> params = new ArrayList<>();
        params.add(project);
        if (search.q() != null) {
            select.append(" AND lower(name) LIKE ? ESCAPE '\\'");
            params.add(contains(search.q()));
        }
        for (Selection.Filter filter : search.filters()) {
            String field = filter.dataKey() != null ? "(data ->> ?)" : filter.field().equals("type") ? "type" : "name";
            if (filter.dataKey() != null) {
                params.add(filter.dataKey());
            }
            switch (filter.op()) {
                case "=" -> select.append(" AND ").append(field).append(" = ?");
                case "!=" -> select.append(" AND ").append(field).append(" IS DISTINCT FROM ?");
                case "has" -> select.append(" AND lower(").append(field).append(") LIKE ? ESCAPE '\\'");
                default -> select.append(" AND ").append(field).append(" = ANY(?)");
            }
            params.add(filter.op().equals("has") ? contains((String) filter.value())
                    : filter.value() instanceof List<?> list ? Sql.array("text", list.toArray()) : filter.value());
        }
        select.append(" ORDER BY position LIMIT ?");
        params.add(limit);
        return sql.list(select.toString(), rs -> rs.getObject(1, UUID.class), params.toArray());
    }

    /** The names of the records of {@code ids}. */
    public Map<UUID, String> names(String project, Collection<UUID> ids) throws SQLException {
        Map<UUID, String> names = new HashMap<>();
        sql.list("SELECT id, name FROM entity WHERE project = ? AND id = ANY(?)",
                rs -> names.put(rs.getObject(1, UUID.class), rs.getString(2)), project, Sql.array("uuid", ids.toArray()));
        return names;
    }

    private static String contains(String text) {
        return "%" + text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
