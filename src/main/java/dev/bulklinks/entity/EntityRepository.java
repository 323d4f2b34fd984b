package dev.bulklinks.entity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The SQL that writes entities and answers what a batch of them needs to know: set-wise, one query each. */
@ApplicationScoped
public class EntityRepository {

    private static final String COLUMNS = """
            project, id, type, name, parent, position, source, source_id, data::text, created_at, updated_at""";

    private final Sql sql;
    private final ObjectMapper json;

    EntityRepository(Sql sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    /** One entity of the project, if it exists. */
    public Optional<EntityRecord> find(String project, UUID id) throws SQLException {
        return sql.first("SELECT " + COLUMNS + " FROM entity WHERE project = ? AND id = ?", this::record, project, id);
    }

    /**
     * Up to {@code limit} entities of the project in position order (creation order, which is also
     * siblings' order), after position {@code after} when given; only those of {@code type}, under
     * {@code parent}, or whose name holds {@code nameContains} ignoring case, for each given.
     */
    public List<EntityRecord> page(String project, String type, UUID parent, String nameContains, Long after,
            int limit) throws SQLException {
        StringBuilder where = new StringBuilder("project = ?");
        List<Object> params = new ArrayList<>();
        params.add(project);
        if (type != null) {
            where.append(" AND type = ?");
            params.add(type);
        }
        if (parent != null) {
            where.append(" AND parent = ?");
            params.add(parent);
        }
        if (nameContains != null && !nameContains.isEmpty()) {
            where.append(" AND lower(name) LIKE ? ESCAPE '\\'");
            params.add("%" + nameContains.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                    + "%");
        }
        if (after != null) {
            where.append(" AND position > ?");
            params.add(after);
        }
        params.add(limit);
        return sql.list("SELECT " + COLUMNS + " FROM entity WHERE " + where + " ORDER BY position LIMIT ?",
                this::record, params.toArray());
    }

    private EntityRecord record(ResultSet rs) throws SQLException {
        try {
            return new EntityRecord(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                    rs.getObject(5, UUID.class), rs.getLong(6), rs.getString(7), rs.getString(8),
                    (ObjectNode) json.readTree(rs.getString(9)), rs.getTimestamp(10).toInstant(),
                    rs.getTimestamp(11).toInstant());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A caller's own key for an entity, unique per project. */
    public record SourceKey(String source, String sourceId) {
    }

    /** An entity row to write. {@code data} is compact JSON or null. */
    public record Row(UUID id, String type, String name, UUID parent, String source, String sourceId, String data,
            Long position) {
    }

    /**
     * Reserves {@code count} sibling positions for a job's new entities, one per item in job order;
     * answers the first. Positions from the sequence only grow, so an import's entities come after
     * every sibling stored before it.
     */
    public long reservePositions(int count) throws SQLException {
        // Bound as bigint, not int: the sequence's arithmetic is in bigint.
        return sql.one("SELECT setval('entity_position_seq', nextval('entity_position_seq') + ?) - ?",
                rs -> rs.getLong(1), (long) count, (long) count);
    }

    /**
     * Where the types of a project's entities stand: the project's key and its
     * {@code entity_types_version}, which a change of any entity's type moves (V25); empty when the
     * project does not exist.
     */
    public Optional<TypesVersion> typesVersion(String project) throws SQLException {
        return sql.first("SELECT id, entity_types_version FROM project WHERE name = ?",
                rs -> new TypesVersion(rs.getInt(1), rs.getLong(2)), project);
    }

    /** A project's key and the version of its entities' types. */
    public record TypesVersion(int project, long version) {
    }

    /** The types of those of {@code ids} that exist in the project. */
    public Map<UUID, String> types(String project, Collection<UUID> ids) throws SQLException {
        Map<UUID, String> types = new HashMap<>();
        if (ids.isEmpty()) {
            return types;
        }
        sql.list("SELECT id, type FROM entity WHERE project = ? AND id = ANY(?)",
                rs -> types.put(rs.getObject(1, UUID.class), rs.getString(2)), project, Sql.array("uuid", ids.toArray()));
        return types;
    }

    /** The ids of the entities holding those of {@code keys} that are taken. */
    public Map<SourceKey, UUID> idsBySourceKey(String project, Collection<SourceKey> keys) throws SQLException {
        Map<SourceKey, UUID> ids = new HashMap<>();
        if (keys.isEmpty()) {
            return ids;
        }
        sql.list("""
                SELECT e.source, e.source_id, e.id
                  FROM entity e
                  JOIN unnest(?::text[], ?::text[]) AS k(source, source_id)
                    ON e.source = k.source AND e.source_id = k.source_id
                 WHERE e.project = ?""",
                rs -> ids.put(new SourceKey(rs.getString(1), rs.getString(2)), rs.getObject(3, UUID.class)),
                Sql.array("text", keys.stream().map(SourceKey::source).toArray()),
                Sql.array("text", keys.stream().map(SourceKey::sourceId).toArray()), project);
        return ids;
    }

    /** Inserts new entities; siblings get positions in the order given. */
    public void insert(String project, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        write(project, rows, """
                INSERT INTO entity (project, id, type, name, parent, source, source_id, data, position)
                SELECT p.project, t.id, t.type, t.name, t.parent, t.source, t.source_id, COALESCE(t.data::jsonb, '{}'),
                       COALESCE(t.position, nextval('entity_position_seq'))
                  FROM unnest(?::uuid[], ?::text[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::int8[])
                       WITH ORDINALITY AS t(id, type, name, parent, source, source_id, data, position, ord)
                 CROSS JOIN (SELECT ?::text AS project) p
                 ORDER BY t.ord""");
    }

    /** Updates existing entities; a field left out (null) keeps its stored value. */
    public void update(String project, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        write(project, rows, """
                UPDATE entity e
                   SET type = t.type, name = t.name, parent = COALESCE(t.parent, e.parent),
                       source = COALESCE(t.source, e.source), source_id = COALESCE(t.source_id, e.source_id),
                       data = COALESCE(t.data::jsonb, e.data), updated_at = now()
                  FROM unnest(?::uuid[], ?::text[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::int8[])
                       AS t(id, type, name, parent, source, source_id, data, position)
                 WHERE e.project = ? AND e.id = t.id""");
    }

    /** Runs {@code statement} with the rows as eight arrays, then the project. */
    private void write(String project, List<Row> rows, String statement) throws SQLException {
        sql.update(statement,
                Sql.array("uuid", rows.stream().map(Row::id).toArray()),
                Sql.array("text", rows.stream().map(Row::type).toArray()),
                Sql.array("text", rows.stream().map(Row::name).toArray()),
                Sql.array("uuid", rows.stream().map(Row::parent).toArray()),
                Sql.array("text", rows.stream().map(Row::source).toArray()),
                Sql.array("text", rows.stream().map(Row::sourceId).toArray()),
                Sql.array("text", rows.stream().map(Row::data).toArray()),
                Sql.array("int8", rows.stream().map(Row::position).toArray()),
                project);
    }
}
