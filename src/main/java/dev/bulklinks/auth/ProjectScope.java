package dev.bulklinks.auth;

import dev.bulklinks.project.Projects;
import jakarta.enterprise.context.RequestScoped;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The projects the caller may see, for routes that are not under one project's path (the sync
 * feed, the list of projects). Requests under {@code /api/p/{project}} are checked by {@link AuthFilter}.
 */
@RequestScoped
public class ProjectScope {

    private final CurrentCaller caller;
    private final AuthRepository repository;
    private final Projects projects;

    ProjectScope(CurrentCaller caller, AuthRepository repository, Projects projects) {
        this.caller = caller;
        this.repository = repository;
        this.projects = projects;
    }

    /**
     * With {@code project}: that project, which must exist and the caller be a member of (403).
     * Without: null for an admin (every project), else the caller's projects, fixed for the request.
     */
    public Set<String> visible(String project) throws SQLException {
        Caller who = caller.get();
        if (project != null) {
            projects.require(project);
            if (!who.admin() && !repository.projectsOf(who.user()).contains(project)) {
                throw AuthFilter.forbidden("You are not a member of project '" + project + "'.");
            }
            return Set.of(project);
        }
        return who.admin() ? null : new LinkedHashSet<>(repository.projectsOf(who.user()));
    }

    /** Refuses a caller that is not an admin (403). */
    public void requireAdmin(String what) {
        if (!caller.get().admin()) {
            throw AuthFilter.forbidden("Only an admin may " + what + ".");
        }
    }
}
