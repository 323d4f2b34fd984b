package dev.bulklinks.project;

import dev.bulklinks.database.SqlFailure;
import java.sql.SQLException;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.entity.EntityRules;
import dev.bulklinks.link.LinkRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.regex.Pattern;

/** Checks the project named in a path before anything else looks at the request. */
@ApplicationScoped
public class Projects {

    private final ProjectRepository repository;

    Projects(ProjectRepository repository) {
        this.repository = repository;
    }

    /** Project names; never pasted into SQL, but kept plain so they are safe in URLs and logs. */
    public static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,62}$");
    /**
     * A new project's default link type for record links: a bare name, so that a record link's type is
     * {@code link|<parent's type>|<record's type>}, registered when first used.
     */
    public static final String DEFAULT_LINK_TYPE = "link";

    /** Answers the name when it is well formed and the project exists; otherwise a 400 or 404. */
    public String require(String name) {
        return find(name).name();
    }

    /** The project, when the name is well formed and it exists; otherwise a 400 or 404. */
    public Project find(String name) {
        requireWellFormed(name);
        try {
            return repository.find(name).orElseThrow(() -> notFound(name));
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    /** The 404 of a project that does not exist. */
    public static ApiException notFound(String name) {
        return ApiException.notFound("Project '" + name + "' not found; create it with POST /api/projects.");
    }

    /**
     * Removes the project and everything in it: entities, link types, links, jobs, memberships. False
     * when there was no such project.
     */
    @Transactional
    public boolean delete(String name) {
        requireWellFormed(name);
        try {
            return repository.delete(name);
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    /** The project's default link type for record links, or null when it has none (the project must exist). */
    public String defaultLinkType(String project) {
        return find(project).defaultLinkType();
    }

    /**
     * Refuses (400) a default link type that is neither a bare link type name nor a whole link type
     * {@code name|input_type|output_type}; null (no default) is allowed.
     */
    static void requireDefaultLinkType(String value) {
        if (value != null && !EntityRules.TYPE.matcher(value).matches() && LinkRules.parts(value) == null) {
            throw ApiException.badRequest("default_link_type must be a link type name such as \"link\" (each record"
                    + " link then gets the type name|<parent's type>|<record's type>), a whole link type"
                    + " name|input_type|output_type, or null; each part up to 64 letters, digits, '_', '.' or '-'.");
        }
    }

    static void requireWellFormed(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("Project names are 1 to 63 characters: a lowercase letter, then lowercase"
                    + " letters, digits or '_' (pattern ^[a-z][a-z0-9_]{0,62}$).");
        }
    }
}
