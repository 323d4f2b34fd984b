package dev.bulklinks.project;

import dev.bulklinks.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Pattern;

/** Checks the project named in a path before anything else looks at the request. */
@ApplicationScoped
public class Projects {

    /** Project names; never pasted into SQL, but kept plain so they are safe in URLs and logs. */
    public static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,62}$");

    /** Answers the name when it is well formed and the project exists; otherwise a 400 or 404. */
    public String require(String name) {
        requireWellFormed(name);
        if (Project.findById(name) == null) {
            throw ApiException.notFound("Project '" + name + "' not found; create it with POST /api/projects.");
        }
        return name;
    }

    static void requireWellFormed(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("Project names are 1 to 63 characters: a lowercase letter, then lowercase"
                    + " letters, digits or '_' (pattern ^[a-z][a-z0-9_]{0,62}$).");
        }
    }
}
