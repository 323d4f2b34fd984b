package dev.bulklinks.auth;

import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.Envelope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.jboss.logging.Logger;

/** Sign-in: an API key for a token (Unicat style). */
@Path("/api/auth")
@Tag(name = "Auth")
public class AuthResource {

    private static final Logger LOG = Logger.getLogger(AuthResource.class);

    private final AuthRepository repository;
    private final Tokens tokens;
    private final AuthConfig config;

    AuthResource(AuthRepository repository, Tokens tokens, AuthConfig config) {
        this.repository = repository;
        this.tokens = tokens;
        this.config = config;
    }

    /** Body of {@code POST /api/auth}. */
    public record SignIn(String api_key) {
    }

    private static final String KEY = """
            {"api_key": "blk_BVvo7N1ms6SbQPiMXBh26HrPEQzEotAlNZBshLx_wpg"}""";
    private static final String SIGNED_IN = """
            {"success": true, "result": {"user": "pipeline", "admin": false, "expires": 1795556053}, "data": {}}""";

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Exchange an API key for a token", description = "Body: {\"api_key\": \"blk_...\"}. The"
            + " token (a JWT) comes in the Authorization response header, as 'Bearer <token>'; send that header"
            + " on every other /api and /sync request. Tokens expire after bulklinks.auth.token-lifetime (1 h);"
            + " a revoked key's tokens stop working at once. A key that is unknown or revoked answers 401.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "an API key", value = KEY)))
    @APIResponse(responseCode = "200", description = "Signed in; the token is in the Authorization header",
            headers = @Header(name = "Authorization", description = "Bearer <token>: send it on every other request"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "signed in", value = SIGNED_IN)))
    public Response signIn(SignIn body) throws SQLException {
        if (body == null || body.api_key() == null || body.api_key().isBlank()) {
            throw ApiException.badRequest("Send {\"api_key\": \"...\"}.");
        }
        AuthRepository.KeyOwner owner = repository.ownerOf(ApiKeys.hash(body.api_key())).orElseThrow(() -> {
            LOG.infof("Sign-in refused: unknown or revoked API key");
            return Tokens.unauthorized("Unknown or revoked API key.");
        });
        String token = tokens.issue(owner);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("user", owner.name());
        result.put("admin", owner.admin());
        result.put("expires", Instant.now().plus(config.tokenLifetime()).getEpochSecond());
        return Response.ok(Envelope.of(result)).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).build();
    }
}
