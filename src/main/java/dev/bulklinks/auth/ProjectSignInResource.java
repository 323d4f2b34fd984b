package dev.bulklinks.auth;

import dev.bulklinks.api.ApiException;
import dev.bulklinks.progress.SyncFeed;
import dev.bulklinks.project.Projects;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Unicat's sign-in: an API key for a token, into one project, with the sync feed positions the
 * client starts following from. Unicat's client calls it first, at {@code <base>/api/p/<project>/auth}.
 */
@Path("/api/p/{project}/auth")
@Tag(name = "Auth")
public class ProjectSignInResource {

    private static final String KEY = """
            {"api_key": "blk_BVvo7N1ms6SbQPiMXBh26HrPEQzEotAlNZBshLx_wpg"}""";
    private static final String SIGNED_IN = """
            {"success": true, "result": {"user": "pipeline", "admin": false, "expires": 1795556053, "project": "demo",
             "cc.cursor": 5120, "cursor": 5120}, "data": {}}""";
    private static final String NOT_A_MEMBER = """
            {"success": false, "result": {"code": 403, "message": "User 'pipeline' is not a member of project 'demo';\
             an admin can add it (PUT /api/admin/users/{user}/projects/demo).", "info": {}}, "data": {}}""";

    private final SignIns signIns;
    private final AuthRepository repository;
    private final Projects projects;
    private final SyncFeed feed;

    ProjectSignInResource(SignIns signIns, AuthRepository repository, Projects projects, SyncFeed feed) {
        this.signIns = signIns;
        this.repository = repository;
        this.projects = projects;
        this.feed = feed;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign in to a project (Unicat)", description = "Body: {\"api_key\": \"blk_...\"}. As Unicat"
            + " answers it: the token, bare, in the Authorization response header (send 'Authorization: Bearer"
            + " <token>' from then on; a later answer may carry a renewed token there), and in the result the"
            + " user, the project, and the sync feed cursors to follow from: \"cc.cursor\" (jobs, read with"
            + " cc_cursor) and \"cursor\" (the project's own changes). No API key: 400; an unknown or revoked"
            + " key, or a user who is not a member of the project (nor an admin): 403, as Unicat answers.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "an API key", value = KEY)))
    @APIResponse(responseCode = "200", description = "Signed in; the token is in the Authorization header",
            headers = @Header(name = "Authorization", description = AuthResource.TOKEN_HEADER),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "signed in",
                    value = SIGNED_IN)))
    @APIResponse(responseCode = "403", description = "The key's user is not a member of the project, nor an admin",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "not a member",
                    value = NOT_A_MEMBER)))
    public Response signIn(@PathParam("project") String project, AuthResource.SignIn body) throws SQLException {
        // Unicat answers 403 to a key it does not know, as to a user who is not a member: no 401, whose
        // WWW-Authenticate would make its client drop the token it holds for other projects.
        AuthRepository.KeyOwner owner = signIns.owner(body, () -> ApiException.forbidden("Unknown or revoked API key;"
                + " an admin can give you one (POST /api/admin/users/{user}/keys)."));
        AuthRepository.Access access = repository.access(owner.key(), project).orElseThrow(
                () -> Tokens.unauthorized("Unknown or revoked API key."));
        // A user who is not a member learns nothing about the project, not even whether it exists.
        if (!access.admin() && !access.member()) {
            throw ApiException.forbidden("User '" + owner.name() + "' is not a member of project '" + project
                    + "'; an admin can add it (PUT /api/admin/users/{user}/projects/" + project + ").");
        }
        projects.require(project);
        Map<String, Object> result = signIns.result(owner);
        result.put("project", project);
        // Where the client starts following the sync feed: everything it may see after them is new to it.
        result.putAll(feed.cursors().asResult());
        return signIns.answer(owner, result);
    }
}
