package dev.bulklinks.auth;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.headers.Header;

/** Sign-in: an API key for a token (Unicat style). */
@Path("/api/auth")
@Tag(name = "Auth")
public class AuthResource {

    private final SignIns signIns;

    AuthResource(SignIns signIns) {
        this.signIns = signIns;
    }

    /** Body of {@code POST /api/auth}. */
    public record SignIn(String api_key) {
    }

    private static final String KEY = """
            {"api_key": "blk_BVvo7N1ms6SbQPiMXBh26HrPEQzEotAlNZBshLx_wpg"}""";
    private static final String SIGNED_IN = """
            {"success": true, "result": {"user": "pipeline", "admin": false, "expires": 1795556053}, "data": {}}""";
    /** The Authorization header of a sign-in's answer: the bare token, as Unicat answers it. */
    static final String TOKEN_HEADER = "The token (a JWT), bare: send it back as 'Authorization: Bearer <token>'"
            + " on every other /api and /sync request. Any later answer may carry a renewed token in this"
            + " header, once more than half of the token's lifetime has passed: switch to it.";

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Exchange an API key for a token", description = "Body: {\"api_key\": \"blk_...\"}. The"
            + " token (a JWT) comes bare in the Authorization response header, as Unicat answers it; send it as"
            + " 'Authorization: Bearer <token>' on every other /api and /sync request. Tokens expire after"
            + " bulklinks.auth.token-lifetime (1 h), and any answer to a token past half its lifetime carries a"
            + " renewed one in its Authorization header; a revoked key's tokens stop working at once. A key that"
            + " is unknown or revoked answers 401. POST /api/p/{project}/auth signs in to one project, as"
            + " Unicat's client does.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "an API key", value = KEY)))
    @APIResponse(responseCode = "200", description = "Signed in; the token is in the Authorization header",
            headers = @Header(name = "Authorization", description = TOKEN_HEADER),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "signed in", value = SIGNED_IN)))
    public Response signIn(SignIn body) throws SQLException {
        AuthRepository.KeyOwner owner = signIns.owner(body);
        return signIns.answer(owner, signIns.result(owner));
    }
}
