package dev.bulklinks.auth;

import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.Envelope;
import dev.bulklinks.entity.EntityIds;
import dev.bulklinks.link.LinkRules;
import dev.bulklinks.project.Projects;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.logging.Logger;

/** Users, their API keys and their project memberships; admins only (checked by {@link AuthFilter}). */
@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Admin", description = "Users, API keys and memberships. Admins only.")
public class AdminResource {

    private static final Logger LOG = Logger.getLogger(AdminResource.class);

    private final AuthRepository repository;
    private final Projects projects;
    private final CurrentCaller caller;

    AdminResource(AuthRepository repository, Projects projects, CurrentCaller caller) {
        this.repository = repository;
        this.projects = projects;
        this.caller = caller;
    }

    /** Body of {@code POST /api/admin/users}. */
    public record NewUser(String name, Boolean admin) {
    }

    /** Body of {@code POST /api/admin/users/{user}/keys}. */
    public record NewKey(String label) {
    }

    /**
     * Body of {@code PUT /api/admin/users/{user}/projects/{project}}: null linkTypes allows every type;
     * null role is {@code member}.
     */
    public record NewMembership(List<String> linkTypes, String role) {
    }

    private static final String USER_BODY = """
            {"name": "pipeline", "admin": false}""";
    private static final String USER = """
            {"success": true, "result": {"id": "be0babb8-b823-4ed8-a082-690096c144cf", "name": "pipeline", "admin": false,
             "created_at": 1795552470.481637}, "data": {}}""";
    private static final String USERS = """
            {"success": true, "result": {"users": [
              {"id": "8dd04eeb-eff4-4468-a7ed-3f244494b525", "name": "admin", "admin": true, "created_at": 1795552443.837672},
              {"id": "be0babb8-b823-4ed8-a082-690096c144cf", "name": "pipeline", "admin": false, "created_at": 1795552470.481637}
            ]}, "data": {}}""";
    private static final String KEY_BODY = """
            {"label": "nightly import"}""";
    private static final String KEY = """
            {"success": true, "result": {"id": "27cbe7bc-87b7-4194-a28e-56b473de5e88", "user": "pipeline",
             "api_key": "blk_BVvo7N1ms6SbQPiMXBh26HrPEQzEotAlNZBshLx_wpg"}, "data": {}}""";
    private static final String REVOKED = """
            {"success": true, "result": {"id": "27cbe7bc-87b7-4194-a28e-56b473de5e88", "revoked": true}, "data": {}}""";
    private static final String MEMBERSHIP_BODY = """
            {"linkTypes": ["breakdown|folder|folder"], "role": "member"}""";
    private static final String MEMBERSHIP = """
            {"success": true, "result": {"user": "pipeline", "project": "demo", "role": "member",
             "linkTypes": ["breakdown|folder|folder"]}, "data": {}}""";
    private static final String ENDED = """
            {"success": true, "result": {"user": "pipeline", "project": "demo", "member": false}, "data": {}}""";

    @POST
    @Path("/users")
    @Operation(summary = "Create a user", description = "Body: {\"name\", \"admin\"?: false}. An admin may do"
            + " everything; any other user may use the projects it is a member of.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "a user", value = USER_BODY)))
    @APIResponse(responseCode = "201", description = "Created; Location: the user",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "created", value = USER)))
    @APIResponse(responseCode = "409", description = "A user of that name exists")
    public Response createUser(NewUser body) throws SQLException {
        if (body == null || body.name() == null || !body.name().matches("[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}")) {
            throw ApiException.badRequest("Send {\"name\": \"...\"}: up to 100 letters, digits and _ . @ -,"
                    + " starting with a letter or digit.");
        }
        AuthRepository.User user = repository.createUser(body.name(), Boolean.TRUE.equals(body.admin()))
                .orElseThrow(() -> ApiException.conflict("User '" + body.name() + "' already exists."));
        LOG.infof("User %s created by %s", user.name(), caller.get().name());
        return Response.created(URI.create("/api/admin/users/" + user.id())).entity(Envelope.of(user)).build();
    }

    @GET
    @Path("/users")
    @Operation(summary = "List users")
    @APIResponse(responseCode = "200", description = "Every user",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "two users", value = USERS)))
    public Envelope users() throws SQLException {
        return Envelope.of(Map.of("users", repository.users()));
    }

    @POST
    @Path("/users/{user}/keys")
    @Operation(summary = "Create an API key", description = "Answers the key once, in api_key; only its hash is"
            + " kept. Body: {\"label\"?}.")
    @RequestBody(description = "Optional: a label for the key", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "a label", value = KEY_BODY)))
    @APIResponse(responseCode = "201", description = "Created; api_key is shown this once",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "created", value = KEY)))
    public Response createKey(@PathParam("user") String user, NewKey body) throws SQLException {
        AuthRepository.User owner = user(user);
        String key = ApiKeys.generate();
        UUID id = UUID.randomUUID();
        repository.addKey(id, owner.id(), ApiKeys.hash(key), body == null ? null : body.label());
        LOG.infof("API key %s created for %s by %s", id, owner.name(), caller.get().name());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", id);
        result.put("user", owner.name());
        result.put("api_key", key);
        return Response.status(201).entity(Envelope.of(result)).build();
    }

    /** Body of {@code PUT /api/admin/users/{user}/password}. */
    public record NewPassword(String password) {
    }

    private static final String PASSWORD_BODY = """
            {"password": "correct horse battery staple"}""";
    private static final String PASSWORD_REMOVED = """
            {"success": true, "result": {"user": "pipeline", "password": false}, "data": {}}""";
    private static final String PASSWORD_SET = """
            {"success": true, "result": {"user": "pipeline", "password": true}, "data": {}}""";

    @PUT
    @Path("/users/{user}/password")
    @Operation(summary = "Set or change a user's password", description = "Body: {\"password\"}: at least 8 characters"
            + " and at most 72 bytes in UTF-8. Only its bcrypt hash is stored. With a password a user may also sign"
            + " in with name and password, as AYON's clients do (POST /ayon/api/auth/login); API keys keep working, and the"
            + " user's earlier password sign-ins end.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "a password", value = PASSWORD_BODY)))
    @APIResponse(responseCode = "200", description = "Set",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "set", value = PASSWORD_SET)))
    @APIResponse(responseCode = "400", description = "No password, or one too short or too long")
    @jakarta.transaction.Transactional
    public Envelope setPassword(@PathParam("user") String user, NewPassword body) throws SQLException {
        AuthRepository.User owner = user(user);
        Passwords.requireAcceptable(body == null ? null : body.password());
        repository.setPasswordHash(owner.id(), Passwords.hash(body.password()));
        repository.revokeLoginKeys(owner.id());
        LOG.infof("Password of %s set by %s", owner.name(), caller.get().name());
        return Envelope.of(Map.of("user", owner.name(), "password", true));
    }

    @DELETE
    @Path("/users/{user}/password")
    @Operation(summary = "Remove a user's password", description = "The user then signs in with API keys only;"
            + " the user's password sign-ins end.")
    @APIResponse(responseCode = "200", description = "Removed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "removed", value = PASSWORD_REMOVED)))
    @jakarta.transaction.Transactional
    public Envelope removePassword(@PathParam("user") String user) throws SQLException {
        AuthRepository.User owner = user(user);
        repository.setPasswordHash(owner.id(), null);
        repository.revokeLoginKeys(owner.id());
        LOG.infof("Password of %s removed by %s", owner.name(), caller.get().name());
        return Envelope.of(Map.of("user", owner.name(), "password", false));
    }

    @DELETE
    @Path("/keys/{key}")
    @Operation(summary = "Revoke an API key", description = "Its tokens are refused from the next request on.")
    @APIResponse(responseCode = "200", description = "Revoked",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "revoked", value = REVOKED)))
    public Envelope revokeKey(@PathParam("key") String key) throws SQLException {
        UUID id = EntityIds.require("key", key);
        if (!repository.revokeKey(id)) {
            throw ApiException.notFound("No API key " + EntityIds.abbreviate(key) + " that is not revoked already.");
        }
        LOG.infof("API key %s revoked by %s", id, caller.get().name());
        return Envelope.of(Map.of("id", id, "revoked", true));
    }

    @PUT
    @Path("/users/{user}/projects/{project}")
    @Operation(summary = "Make a user a member of a project", description = "Body: {\"linkTypes\"?: [\"name|in|out\","
            + " ...], \"role\"?: \"member\" | \"manager\"}. linkTypes: the link types whose links the member may create"
            + " and delete there (AYON perms.links); without it, every type. role: a manager may also register and"
            + " delete link types (those on its allow-list); without it, member. Replaces an existing membership.")
    @RequestBody(description = "Optional: linkTypes (without it, every type) and role (without it, member)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "one link type allowed", value = MEMBERSHIP_BODY)))
    @APIResponse(responseCode = "200", description = "The membership",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "member", value = MEMBERSHIP)))
    @APIResponse(responseCode = "400", description = "A malformed link type in linkTypes, or a role other than member or manager")
    public Envelope putMembership(@PathParam("user") String user, @PathParam("project") String project,
            NewMembership body) throws SQLException {
        AuthRepository.User member = user(user);
        projects.require(project);
        List<String> types = body == null ? null : body.linkTypes();
        if (types != null) {
            for (String type : types) {
                if (type == null || LinkRules.parts(type) == null) {
                    throw ApiException.badRequest("linkTypes holds link types, name|input_type|output_type: '"
                            + EntityIds.abbreviate(String.valueOf(type)) + "' is not one.");
                }
            }
        }
        Role role = body == null || body.role() == null ? Role.MEMBER : Role.of(body.role());
        if (role == null) {
            throw ApiException.badRequest("role must be one of " + Role.names() + " (without it, member): '"
                    + EntityIds.abbreviate(body.role()) + "' is not one.");
        }
        repository.putMembership(member.id(), project, types, role);
        LOG.infof("%s is a %s of %s (link types: %s), set by %s", member.name(), role.wireName(), project,
                types == null ? "all" : types, caller.get().name());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("user", member.name());
        result.put("project", project);
        result.put("role", role);
        result.put("linkTypes", types);
        return Envelope.of(result);
    }

    @DELETE
    @Path("/users/{user}/projects/{project}")
    @Operation(summary = "End a membership")
    @APIResponse(responseCode = "200", description = "Ended",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "ended", value = ENDED)))
    public Envelope deleteMembership(@PathParam("user") String user, @PathParam("project") String project)
            throws SQLException {
        AuthRepository.User member = user(user);
        if (!repository.deleteMembership(member.id(), projects.require(project))) {
            throw ApiException.notFound(member.name() + " is not a member of project '" + project + "'.");
        }
        return Envelope.of(Map.of("user", member.name(), "project", project, "member", false));
    }

    private AuthRepository.User user(String id) throws SQLException {
        return repository.user(EntityIds.require("user", id))
                .orElseThrow(() -> ApiException.notFound("User " + id + " not found."));
    }
}
