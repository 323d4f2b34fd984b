package dev.bulklinks.project;

import dev.bulklinks.database.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The statements on {@code project} rows. */
@ApplicationScoped
public class ProjectRepository {

    private static final String COLUMNS = "name, created_at, default_link_type";

    private final Sql sql;

    ProjectRepository(Sql sql) {
        this.sql = sql;
    }

    public Optional<Project> find(String name) throws SQLException {
        return sql.first("SELECT " + COLUMNS + " FROM project WHERE name = ?", ProjectRepository::project, name);
    }

    /** Every project, by name. */
    public List<Project> all() throws SQLException {
        return sql.list("SELECT " + COLUMNS + " FROM project ORDER BY name", ProjectRepository::project);
    }

    /** Creates a project; nothing when one of that name exists (another caller got there first). */
    public Optional<Project> insert(String name, String defaultLinkType) throws SQLException {
        return sql.first("INSERT INTO project (name, default_link_type) VALUES (?, ?) ON CONFLICT DO NOTHING"
                + " RETURNING " + COLUMNS, ProjectRepository::project, name, defaultLinkType);
    }

    /** Sets the project's default link type for record links (null: none); answers the project as it is now. */
    public Optional<Project> setDefaultLinkType(String name, String defaultLinkType) throws SQLException {
        return sql.first("UPDATE project SET default_link_type = ? WHERE name = ? RETURNING " + COLUMNS,
                ProjectRepository::project, defaultLinkType, name);
    }

    /**
     * Deletes a project and everything in it: its links here (they have no foreign key, for the speed of
     * their inserts: V3), the rest by cascade; false when there was none.
     */
    public boolean delete(String name) throws SQLException {
        sql.update("DELETE FROM link WHERE project_id = (SELECT id FROM project WHERE name = ?)", name);
        return sql.update("DELETE FROM project WHERE name = ?", name) > 0;
    }

    private static Project project(ResultSet rs) throws SQLException {
        return new Project(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3));
    }
}
