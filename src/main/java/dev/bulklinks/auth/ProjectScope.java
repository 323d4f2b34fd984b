package dev.bulklinks.auth;

import dev.bulklinks.api.ApiException;
import jakarta.enterprise.context.RequestScoped;
import java.sql.SQLException;
import java.util.Set;

/**
 * The projects the caller may see, for routes that are not under one project's path (the sync
 * feed, the list of projects). Requests under {@code /api/p/{project}} are checked by {@link AuthFilter}.
 */
@RequestScoped
public class ProjectScope {

    private final CurrentCaller caller;
    private final Callers callers;

    ProjectScope(CurrentCaller caller, Callers callers) {
        this.caller = caller;
        this.callers = callers;
    }

    /**
     * With {@code project}: that project, which must exist and the caller be a member of (403).
     * Without: null for an admin (every project), else the caller's projects, fixed for the request.
     */
    public Set<String> visible(String project) throws SQLException {
        return callers.visible(caller.get(), project);
    }

    /** Refuses a caller that is not an admin (403). */
    public void requireAdmin(String what) {
        if (!caller.get().admin()) {
            throw ApiException.forbidden("Only an admin may " + what + ".");
        }
    }
}
