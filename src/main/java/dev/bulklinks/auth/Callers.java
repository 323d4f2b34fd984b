package dev.bulklinks.auth;

import dev.bulklinks.api.ApiException;
import dev.bulklinks.project.Projects;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Who a token names and what they may see, for connections that carry their token elsewhere than in
 * the {@code Authorization} header and so never pass {@link AuthFilter}: the socket.io push at
 * {@code /sync/io}, whose token comes in the socket.io auth payload. The same rules as the filter and
 * {@link ProjectScope}, which asks this class.
 */
@ApplicationScoped
public class Callers {

    private final Tokens tokens;
    private final AuthRepository repository;
    private final Projects projects;

    Callers(Tokens tokens, AuthRepository repository, Projects projects) {
        this.tokens = tokens;
        this.repository = repository;
        this.projects = projects;
    }

    /**
     * The caller {@code token} names, under no project; a 401 saying why when the token is not valid or its
     * key was revoked.
     */
    public Caller of(String token) throws SQLException {
        UUID key = tokens.verify(token);
        AuthRepository.Access access = repository.access(key, null).orElseThrow(() -> Tokens.unauthorized(
                "The API key this token was issued for has been revoked or removed."));
        return new Caller(access.user(), access.name(), access.admin(), key, null, false);
    }

    /**
     * With {@code project}: that project, which must exist and {@code who} be a member of (403).
     * Without: null for an admin (every project), else the caller's projects, as they are now.
     */
    public Set<String> visible(Caller who, String project) throws SQLException {
        if (project != null) {
            projects.require(project);
            if (!who.admin() && !repository.projectsOf(who.user()).contains(project)) {
                throw ApiException.forbidden("You are not a member of project '" + project + "'.");
            }
            return Set.of(project);
        }
        return who.admin() ? null : new LinkedHashSet<>(repository.projectsOf(who.user()));
    }
}
