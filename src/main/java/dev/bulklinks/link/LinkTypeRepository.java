package dev.bulklinks.link;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The statements on {@code link_type} rows as the link type routes use them, one at a time. (A job
 * registers the types it needs set-wise, with {@link LinkRepository#register}.)
 */
@ApplicationScoped
public class LinkTypeRepository {

    private static final String COLUMNS = "project, link_type, name, input_type, output_type, data::text, created_at";

    private final Sql sql;
    private final ObjectMapper json;

    LinkTypeRepository(Sql sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    public Optional<LinkType> find(String project, String linkType) throws SQLException {
        return sql.first("SELECT " + COLUMNS + " FROM link_type WHERE project = ? AND link_type = ?", this::linkType,
                project, linkType);
    }

    /** The project's link types, by full name. */
    public List<LinkType> list(String project) throws SQLException {
        return sql.list("SELECT " + COLUMNS + " FROM link_type WHERE project = ? ORDER BY link_type", this::linkType,
                project);
    }

    /** Registers a type; nothing when it is registered already (another caller got there first). */
    public Optional<LinkType> insert(String project, LinkRules.TypeParts parts, String linkType, ObjectNode data)
            throws SQLException {
        return sql.first("""
                INSERT INTO link_type (project, link_type, name, input_type, output_type, data)
                VALUES (?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING RETURNING""" + " " + COLUMNS, this::linkType,
                project, linkType, parts.name(), parts.inputType(), parts.outputType(), data.toString());
    }

    /** Replaces a registered type's data; answers it as it is now. */
    public Optional<LinkType> setData(String project, String linkType, ObjectNode data) throws SQLException {
        return sql.first("UPDATE link_type SET data = ?::jsonb WHERE project = ? AND link_type = ? RETURNING " + COLUMNS,
                this::linkType, data.toString(), project, linkType);
    }

    /** Removes a registered type (its links are the caller's to delete first); false when there was none. */
    public boolean delete(String project, String linkType) throws SQLException {
        return sql.update("DELETE FROM link_type WHERE project = ? AND link_type = ?", project, linkType) == 1;
    }

    private LinkType linkType(ResultSet rs) throws SQLException {
        try {
            return new LinkType(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    (ObjectNode) json.readTree(rs.getString(6)), rs.getTimestamp(7).toInstant());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
