package dev.bulklinks.records;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

    private final AgroalDataSource dataSource;

    SelectionRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public boolean exists(String project, UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM entity WHERE project = ? AND id = ?")) {
            ps.setString(1, project);
            ps.setObject(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The children of {@code parent} in their order, at most {@code limit}. */
    public List<UUID> children(String project, UUID parent, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id FROM entity WHERE project = ? AND parent = ? ORDER BY position LIMIT ?")) {
            ps.setString(1, project);
            ps.setObject(2, parent);
            ps.setInt(3, limit);
            return ids(ps);
        }
    }

    /**
     * The records that {@code search} finds, in their order, at most {@code limit}. Field names come
     * from a fixed list, data keys and values are parameters: nothing of the request enters the SQL text.
     */
    public List<UUID> search(String project, Selection.Search search, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id FROM entity WHERE project = ?");
        List<Object> params = new ArrayList<>();
        params.add(project);
        if (search.q() != null) {
            sql.append(" AND lower(name) LIKE ? ESCAPE '\\'");
            params.add(contains(search.q()));
        }
        for (Selection.Filter filter : search.filters()) {
            String field = filter.dataKey() != null ? "(data ->> ?)" : filter.field().equals("type") ? "type" : "name";
            if (filter.dataKey() != null) {
                params.add(filter.dataKey());
            }
            switch (filter.op()) {
                case "=" -> sql.append(" AND ").append(field).append(" = ?");
                case "!=" -> sql.append(" AND ").append(field).append(" IS DISTINCT FROM ?");
                case "has" -> sql.append(" AND lower(").append(field).append(") LIKE ? ESCAPE '\\'");
                default -> sql.append(" AND ").append(field).append(" = ANY(?)");
            }
            params.add(filter.op().equals("has") ? contains((String) filter.value()) : filter.value());
        }
        sql.append(" ORDER BY position LIMIT ?");
        params.add(limit);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                Object param = params.get(i);
                if (param instanceof List<?> list) {
                    ps.setArray(i + 1, c.createArrayOf("text", list.toArray()));
                } else {
                    ps.setObject(i + 1, param);
                }
            }
            return ids(ps);
        }
    }

    /** The names of the records of {@code ids}. */
    public Map<UUID, String> names(String project, Collection<UUID> ids) throws SQLException {
        Map<UUID, String> names = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id, name FROM entity WHERE project = ? AND id = ANY(?)")) {
            ps.setString(1, project);
            ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.put(rs.getObject(1, UUID.class), rs.getString(2));
                }
            }
        }
        return names;
    }

    private static String contains(String text) {
        return "%" + text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static List<UUID> ids(PreparedStatement ps) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }
}
