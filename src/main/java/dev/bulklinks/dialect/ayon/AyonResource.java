package dev.bulklinks.dialect.ayon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.auth.CurrentCaller;
import dev.bulklinks.auth.PasswordSignIns;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What {@code ayon_api} asks when it connects to a server URL {@code http://host:port/ayon}: the server
 * answers at all ({@code GET /}), its version ({@code GET /api/info}), who the key or token names
 * ({@code GET /api/users/me}), and sign-in with a name and password and its logout.
 */
@Path("/ayon")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = AyonResource.TAG, description = "AYON's REST API, as ayon_api calls it: set the server URL to"
        + " http://host:port/ayon and an API key of the service. Bodies are plain JSON, ids 32 hex digits, errors"
        + " {\"code\", \"detail\"}. No GraphQL.")
public class AyonResource {

    static final String TAG = "AYON";
    /**
     * The AYON server version this dialect answers as: 1.15.8 is the first with {@code POST
     * .../links/bulk}, which {@code ayon_api} uses only from that version on.
     */
    static final String VERSION = "1.15.8";
    /** The OpenAPI description of the project in AYON's paths. */
    static final String PROJECT = "The project's name (^[a-z][a-z0-9_]{0,62}$)";
    /** The OpenAPI description of a link type in AYON's paths. */
    static final String LINK_TYPE = "A link type, name|input_type|output_type, the | sent as %7C";
    private static final String ROOT = """
            {"detail": "Bulk Links speaks AYON's REST API here: /ayon/api/..."}""";
    private static final String LOGGED_OUT = """
            {"detail": "Logged out"}""";

    private static final String INFO = """
            {"version": "1.15.8", "uptime": 5321.4, "motd": null, "noAdminUser": false,
             "passwordRecoveryAvailable": false}""";
    private static final String ME = """
            {"name": "pipeline", "active": true, "isAdmin": false, "isManager": false, "isService": false,
             "isGuest": false, "isDeveloper": false, "hasPassword": true, "accessGroups": {},
             "defaultAccessGroups": [], "attrib": {"fullName": "pipeline", "email": null, "avatarUrl": null},
             "ownAttrib": ["fullName"], "data": {"isAdmin": false, "isManager": false},
             "createdAt": "2026-11-30T20:01:12.481637Z", "updatedAt": "2026-11-30T20:01:12.481637Z"}""";
    private static final String LOGIN = """
            {"name": "pipeline", "password": "correct horse battery staple"}""";
    private static final String LOGGED_IN = """
            {"detail": "Logged in as pipeline", "token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9...", "user": {"name":
             "pipeline", "active": true, "isAdmin": false, "isManager": false, "attrib": {"fullName": "pipeline"},
             "ownAttrib": ["fullName"], "data": {"isAdmin": false, "isManager": false}}}""";
    private static final String REFUSED = """
            {"code": 401, "detail": "Invalid login/password combination"}""";

    private final CurrentCaller caller;
    private final PasswordSignIns signIns;

    AyonResource(CurrentCaller caller, PasswordSignIns signIns) {
        this.caller = caller;
        this.signIns = signIns;
    }

    @GET
    @Operation(summary = "AYON: the server answers", description = "ayon_api's first call (is_server_available):"
            + " any 200.")
    @APIResponse(responseCode = "200", description = "The dialect is there",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "here", value = ROOT)))
    public Map<String, Object> root() {
        return Map.of("detail", "Bulk Links speaks AYON's REST API here: /ayon/api/...");
    }

    @GET
    @Path("/api/info")
    @Operation(summary = "AYON: server info", description = "Open to all. ayon_api reads version (from 1.15.8 it"
            + " sends links in bulk).")
    @APIResponse(responseCode = "200", description = "The version AYON's clients check",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "info", value = INFO)))
    public Map<String, Object> info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("version", VERSION);
        info.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        info.put("motd", null);
        info.put("noAdminUser", false);
        info.put("passwordRecoveryAvailable", false);
        return info;
    }

    @GET
    @Path("/api/users/me")
    @Operation(summary = "AYON: the user the credentials name", description = "ayon_api tries Authorization:"
            + " Bearer <key> first and then X-Api-Key: <key>; both work, as does Bearer with the token of"
            + " /ayon/api/auth/login. 401 {\"code\", \"detail\"} without valid credentials.")
    @APIResponse(responseCode = "200", description = "The user, as AYON describes one",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "me", value = ME)))
    public Map<String, Object> me() throws SQLException {
        return user(signIns.account(caller.get()));
    }

    @POST
    @Path("/api/auth/login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "AYON: sign in with name and password", description = "Body: {\"name\", \"password\"}."
            + " Answers {\"token\"}, to send as Authorization: Bearer <token>; it lasts bulklinks.auth.token-lifetime."
            + " An admin sets passwords with PUT /api/admin/users/{user}/password.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "name and password", value = LOGIN)))
    @APIResponse(responseCode = "200", description = "Signed in",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "signed in", value = LOGGED_IN)))
    @APIResponse(responseCode = "401", description = "Unknown name, no password, or a wrong one",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "refused", value = REFUSED)))
    public Map<String, Object> login(JsonNode body) throws SQLException {
        if (body == null || !body.path("name").isTextual() || !body.path("password").isTextual()) {
            throw ApiException.badRequest("Send {\"name\": \"...\", \"password\": \"...\"}.");
        }
        PasswordSignIns.SignedIn signedIn = signIns.signIn(body.get("name").textValue(), body.get("password").textValue())
                .orElseThrow(() -> new ApiException(new ApiError(401, "Invalid login/password combination", null)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("detail", "Logged in as " + signedIn.user());
        answer.put("token", signedIn.token());
        answer.put("user", user(new PasswordSignIns.Account(signedIn.user(), signedIn.admin(), null, true)));
        return answer;
    }

    @POST
    @Path("/api/auth/logout")
    @Operation(summary = "AYON: log out", description = "Ends the sign-in whose token is sent; with an API key it"
            + " does nothing (the key stays valid).")
    @APIResponse(responseCode = "200", description = "Logged out",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "logged out", value = LOGGED_OUT)))
    public Map<String, Object> logout() throws SQLException {
        signIns.signOut(caller.get());
        return Map.of("detail", "Logged out");
    }

    /** A user as AYON answers one: what ayon_api reads (name, attrib with ownAttrib, data) and the flags. */
    private static Map<String, Object> user(PasswordSignIns.Account account) {
        boolean admin = account.admin();
        Map<String, Object> attrib = new LinkedHashMap<>();
        attrib.put("fullName", account.name());
        attrib.put("email", null);
        attrib.put("avatarUrl", null);
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("name", account.name());
        user.put("active", true);
        user.put("isAdmin", admin);
        // AYON's managers are managers everywhere; ours are per project, so only admins say so here.
        user.put("isManager", admin);
        user.put("isService", false);
        user.put("isGuest", false);
        user.put("isDeveloper", false);
        user.put("hasPassword", account.hasPassword());
        user.put("accessGroups", Map.of());
        user.put("defaultAccessGroups", List.of());
        user.put("attrib", attrib);
        // ayon_api's fill_own_attribs reads ownAttrib whenever attrib is not empty.
        user.put("ownAttrib", List.of("fullName"));
        user.put("data", Map.of("isAdmin", admin, "isManager", admin));
        if (account.createdAt() != null) {
            user.put("createdAt", account.createdAt().toString());
            user.put("updatedAt", account.createdAt().toString());
        }
        return user;
    }
}
