package dev.bulklinks.auth;

import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ApiException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The one gate of every {@code /api} and {@code /sync} route but {@code POST /api/auth}: a valid
 * token whose key is not revoked (else 401), membership of the path's project (else 403), admin for
 * {@code /api/admin}. Health, metrics and OpenAPI under {@code /q} stay open. Runs on the request's
 * worker thread, after matching, so the project is known.
 */
public class AuthFilter {

    private final Tokens tokens;
    private final AuthRepository repository;
    private final CurrentCaller current;

    AuthFilter(Tokens tokens, AuthRepository repository, CurrentCaller current) {
        this.tokens = tokens;
        this.repository = repository;
        this.current = current;
    }

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request) throws SQLException {
        String path = request.getUriInfo().getPath();
        if (!guarded(path)) {
            return;
        }
        UUID key = tokens.verify(bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION)));
        String project = request.getUriInfo().getPathParameters().getFirst("project");
        AuthRepository.Access access = repository.access(key, project).orElseThrow(() -> Tokens.unauthorized(
                "The API key this token was issued for has been revoked or removed."));
        if (project != null && !access.admin() && !access.member()) {
            throw forbidden("You are not a member of project '" + project + "'; an admin can add you"
                    + " (PUT /api/admin/users/{user}/projects/{project}).");
        }
        if (path.startsWith("/api/admin") && !access.admin()) {
            throw forbidden("Only an admin may manage users, keys and memberships.");
        }
        current.set(new Caller(access.user(), access.name(), access.admin(), key,
                access.admin() ? null : access.linkTypes(), access.role() == Role.MANAGER));
    }

    /** Whether a request to {@code path} needs a token. */
    public static boolean guarded(String path) {
        return (path.equals("/api") || path.startsWith("/api/") || path.equals("/sync") || path.startsWith("/sync/"))
                && !path.equals("/api/auth");
    }

    private static String bearer(String header) {
        if (header == null || header.isBlank()) {
            throw Tokens.unauthorized("Send Authorization: Bearer <token>; get a token from POST /api/auth"
                    + " with {\"api_key\": \"...\"}.");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw Tokens.unauthorized("The Authorization header must read 'Bearer <token>'.");
        }
        return header.substring(7).trim();
    }

    static ApiException forbidden(String message) {
        return new ApiException(new ApiError(403, message, Map.of()));
    }
}
