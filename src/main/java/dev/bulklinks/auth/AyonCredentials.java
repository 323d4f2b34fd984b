package dev.bulklinks.auth;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.sql.SQLException;
import java.util.UUID;

/**
 * How AYON's clients prove who they are, for the routes under {@code /ayon/api}: {@code ayon_api} sends an
 * API key as {@code Authorization: Bearer <key>}, or, when that is refused, as {@code X-Api-Key: <key>};
 * after {@code POST /ayon/api/auth/login} it sends the token answered as {@code Bearer}. All three name an
 * API key (a password sign-in holds one of its own), which {@link AuthFilter} then checks as for any token.
 */
final class AyonCredentials {

    static final String API_KEY = "X-Api-Key";

    private AyonCredentials() {
    }

    /** Whether {@code path} is an AYON route that needs credentials: all of /ayon/api but the info and the login. */
    static boolean guarded(String path) {
        return path.startsWith("/ayon/api/") && !path.equals("/ayon/api/info") && !path.equals("/ayon/api/auth/login");
    }

    /** The key the request's credentials name; a 401 saying what to send when they name none that is live. */
    static UUID key(ContainerRequestContext request, Tokens tokens, AuthRepository repository) throws SQLException {
        String apiKey = request.getHeaderString(API_KEY);
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String secret = apiKey != null && !apiKey.isBlank() ? apiKey.trim()
                : authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                        ? authorization.substring(7).trim() : null;
        if (secret == null || secret.isEmpty()) {
            throw Tokens.unauthorized("Send your API key as Authorization: Bearer <key> or X-Api-Key: <key>, or the"
                    + " token of POST /ayon/api/auth/login as Authorization: Bearer <token>.");
        }
        if (apiKey == null && looksLikeToken(secret)) {
            return tokens.check(secret).key();
        }
        return repository.ownerOf(ApiKeys.hash(secret)).map(AuthRepository.KeyOwner::key)
                .orElseThrow(() -> Tokens.unauthorized("Unknown or revoked API key."));
    }

    /** A JWT is three base64url parts joined by dots; an API key ({@code blk_...}) holds no dot. */
    private static boolean looksLikeToken(String secret) {
        return secret.chars().filter(c -> c == '.').count() == 2;
    }
}
