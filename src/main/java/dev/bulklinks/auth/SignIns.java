package dev.bulklinks.auth;

import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** What both sign-ins share: the key's owner, the result about the user, and the token in the answer. */
@ApplicationScoped
class SignIns {

    private static final Logger LOG = Logger.getLogger(SignIns.class);

    private final AuthRepository repository;
    private final Tokens tokens;
    private final AuthConfig config;

    SignIns(AuthRepository repository, Tokens tokens, AuthConfig config) {
        this.repository = repository;
        this.tokens = tokens;
        this.config = config;
    }

    /** The owner of the body's API key: 400 without one, 401 when it is unknown or revoked. */
    AuthRepository.KeyOwner owner(AuthResource.SignIn body) throws SQLException {
        return owner(body, () -> Tokens.unauthorized("Unknown or revoked API key."));
    }

    /** The owner of the body's key; 400 without a key, {@code unknown} for a key unknown or revoked. */
    AuthRepository.KeyOwner owner(AuthResource.SignIn body, Supplier<ApiException> unknown) throws SQLException {
        if (body == null || body.api_key() == null || body.api_key().isBlank()) {
            throw ApiException.badRequest("Send {\"api_key\": \"...\"}.");
        }
        return repository.ownerOf(ApiKeys.hash(body.api_key())).orElseThrow(() -> {
            LOG.infof("Sign-in refused: unknown or revoked API key");
            return unknown.get();
        });
    }

    /** What every sign-in answers about the user: name, whether admin, and when the token expires. */
    Map<String, Object> result(AuthRepository.KeyOwner owner) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("user", owner.name());
        result.put("admin", owner.admin());
        result.put("expires", Instant.now().plus(config.tokenLifetime()).getEpochSecond());
        return result;
    }

    /**
     * The answer of a sign-in: {@code result}, and a new token for the owner in the Authorization
     * header, bare: Unicat's client sends back {@code "Bearer " + header}, so a header that said
     * {@code Bearer <token>} would make it send {@code Bearer Bearer <token>}.
     */
    Response answer(AuthRepository.KeyOwner owner, Map<String, Object> result) {
        return Response.ok(Envelope.of(result)).header(HttpHeaders.AUTHORIZATION, tokens.issue(owner)).build();
    }
}
