package dev.bulklinks.auth;

import dev.bulklinks.api.ApiException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.sql.SQLException;
import java.util.UUID;
import java.util.regex.Pattern;
import io.vertx.core.http.HttpServerResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The one gate of every {@code /api}, {@code /sync}, {@code /sas} and {@code /propeller} route but the sign-ins ({@code POST /api/auth}
 * and {@code POST /api/p/{project}/auth}): a valid token whose key is not revoked (else 401),
 * membership of the path's project (else 403), admin for {@code /api/admin}. Health, metrics and
 * OpenAPI under {@code /q} stay open. Runs on the request's worker thread, after matching, so the
 * project is known. A token past half its lifetime is renewed: the answer, whatever it is, carries a
 * fresh one in its {@code Authorization} header (bare, as the sign-ins answer it), which a Unicat
 * client switches to, so that a client that keeps talking to the service is never signed out. AYON's
 * routes under {@code /ayon/api} take AYON's credentials instead ({@link AyonCredentials}), with the same
 * checks after.
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

    /** The sign-in of a project, Unicat's: open to all, like {@code POST /api/auth}. */
    private static final Pattern PROJECT_SIGN_IN = Pattern.compile("^/api/p/[^/]+/auth$");

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request, HttpServerResponse response) throws SQLException {
        String path = request.getUriInfo().getPath();
        // AYON's clients (/ayon/api) send an API key or a token in their own headers: AyonCredentials.
        boolean ayon = AyonCredentials.guarded(path);
        if (!ayon && !guarded(path)) {
            return;
        }
        Tokens.Verified token = ayon ? null : tokens.check(bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION)));
        UUID key = ayon ? AyonCredentials.key(request, tokens, repository) : token.key();
        String project = request.getUriInfo().getPathParameters().getFirst("project");
        AuthRepository.Access access = repository.access(key, project).orElseThrow(() -> Tokens.unauthorized(
                "The API key this token was issued for has been revoked or removed."));
        if (project != null && !access.admin() && !access.member()) {
            throw ApiException.forbidden("You are not a member of project '" + project + "'; an admin can add you"
                    + " (PUT /api/admin/users/{user}/projects/{project}).");
        }
        if (path.startsWith("/api/admin") && !access.admin()) {
            throw ApiException.forbidden("Only an admin may manage users, keys and memberships.");
        }
        current.set(new Caller(access.user(), access.name(), access.admin(), key,
                access.admin() ? null : access.linkTypes(), access.role() == Role.MANAGER));
        // Set on the HTTP response itself, not through a JAX-RS response filter, which Server-Sent Event
        // streams never pass: so every answer past this gate carries it, errors and streams included.
        if (token != null) {
            tokens.renewalFor(token).ifPresent(renewed -> response.putHeader(HttpHeaders.AUTHORIZATION, renewed));
        }
    }

    /** Whether a request to {@code path} needs a token: the API, the feed, and the dialects of other systems. */
    public static boolean guarded(String path) {
        return (path.equals("/api") || path.startsWith("/api/") || path.equals("/sync") || path.startsWith("/sync/")
                || path.startsWith("/sas/") || path.startsWith("/propeller/"))
                && !signIn(path);
    }

    /** Whether {@code path} is a sign-in, open to all: {@code /api/auth} or {@code /api/p/{project}/auth}. */
    public static boolean signIn(String path) {
        return path.equals("/api/auth") || PROJECT_SIGN_IN.matcher(path).matches();
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
}
