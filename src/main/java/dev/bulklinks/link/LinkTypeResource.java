package dev.bulklinks.link;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.Envelope;
import dev.bulklinks.auth.Caller;
import dev.bulklinks.auth.CurrentCaller;
import dev.bulklinks.entity.EntityIds;
import dev.bulklinks.entity.EntityRules;
import dev.bulklinks.job.ItemOutcome;
import dev.bulklinks.project.Projects;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

@Path("/api/p/{project}/links/types")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Link types", description = "A link type must be registered before links of it are created."
        + " Registering and deleting types is for admins and the project's managers.")
public class LinkTypeResource {

    private static final String BODY = """
            {"data": {"color": "#3f51b5"}}""";
    private static final String ONE = """
            {"success": true, "result": {"name": "breakdown|folder|folder", "link_type": "breakdown", "input_type": "folder",
             "output_type": "folder", "data": {"color": "#3f51b5"}, "created_at": 1795552453.821626}, "data": {}}""";
    private static final String ALL = """
            {"success": true, "result": {"types": [{"name": "breakdown|folder|folder", "link_type": "breakdown",
             "input_type": "folder", "output_type": "folder", "data": {"color": "#3f51b5"}, "created_at": 1795552453.821626}]},
             "data": {}}""";
    private static final String DELETED = """
            {"success": true, "result": {"deleted": "breakdown|folder|folder", "links_deleted": 1200}, "data": {}}""";

    private static final String NOT_A_MANAGER = """
            {"success": false, "result": {"code": 403, "message": "Only an admin or a manager of project 'demo' may register\
             and delete link types (deleting a type deletes all its links); an admin can make you a manager with PUT\
             /api/admin/users/{user}/projects/demo {\\"role\\": \\"manager\\"}.", "info": {"linkType": "breakdown|folder|folder"}},
             "data": {}}""";
    private static final String WHO_MAY = "Only an admin, or a manager of the project whose allow-list holds the"
            + " type, may register or delete it (403 for anyone else).";

    private final Projects projects;
    private final LinkRepository links;
    private final LinkTypeRepository types;
    private final CurrentCaller caller;

    LinkTypeResource(Projects projects, LinkRepository links, LinkTypeRepository types, CurrentCaller caller) {
        this.projects = projects;
        this.links = links;
        this.types = types;
        this.caller = caller;
    }

    /** Body of the PUT; may be omitted. */
    public record LinkTypeBody(ObjectNode data) {
    }

    /** A link type as AYON lists it. */
    public record LinkTypeView(String name, String link_type, String input_type, String output_type, ObjectNode data,
            Instant created_at) {
        static LinkTypeView of(LinkType t) {
            return new LinkTypeView(t.linkType(), t.name(), t.inputType(), t.outputType(), t.data(), t.createdAt());
        }
    }

    @PUT
    @Path("/{type}")
    @Transactional
    @Operation(summary = "Register a link type", description = "Creates the type (201) or replaces its data (200). "
            + WHO_MAY)
    @RequestBody(description = "Optional: the type's data; an empty object or no body registers it bare", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "with data", value = BODY)))
    @APIResponse(responseCode = "201", description = "Registered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "registered", value = ONE)))
    @APIResponse(responseCode = "200", description = "Already registered; its data replaced",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "replaced", value = ONE)))
    @APIResponse(responseCode = "403", description = "Neither an admin nor a manager of the project whose allow-list holds the type",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a member", value = NOT_A_MANAGER)))
    public Response put(@PathParam("project") String project,
            @Parameter(description = "name|input_type|output_type", example = "breakdown|folder|folder")
            @PathParam("type") String type,
            LinkTypeBody body) throws SQLException {
        projects.require(project);
        requireManager(project, type);
        LinkRules.TypeParts parts = LinkRules.parts(type);
        if (parts == null) {
            throw ApiException.badRequest(LinkRules.malformedType(type));
        }
        ObjectNode data = body == null || body.data() == null ? JsonNodeFactory.instance.objectNode() : body.data();
        ItemOutcome.Failed tooLarge = EntityRules.dataProblem(data.toString());
        if (tooLarge != null) {
            throw ApiException.badRequest(tooLarge.message());
        }
        Optional<LinkType> created = types.insert(project, parts, type, data);
        if (created.isPresent()) {
            return Response.status(Response.Status.CREATED).entity(Envelope.of(LinkTypeView.of(created.get()))).build();
        }
        // Registered already (or by a concurrent request a moment ago): its data is replaced.
        LinkType replaced = types.setData(project, type, data).orElseThrow(() -> ApiException.conflict(
                "Link type " + type + " was deleted while it was being replaced; send the request again."));
        return Response.ok(Envelope.of(LinkTypeView.of(replaced))).build();
    }

    @GET
    @Operation(summary = "List link types")
    @APIResponse(responseCode = "200", description = "The project's link types, by name",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "one type", value = ALL)))
    public Envelope list(@PathParam("project") String project) throws SQLException {
        projects.require(project);
        return Envelope.of(Map.of("types", types.list(project).stream().map(LinkTypeView::of).toList()));
    }

    @DELETE
    @Path("/{type}")
    @Transactional
    @Operation(summary = "Remove a link type and all its links", description = "Deletes every link of the type,"
            + " whoever wrote it. " + WHO_MAY)
    @APIResponse(responseCode = "200", description = "Removed, with the number of its links deleted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "removed", value = DELETED)))
    @APIResponse(responseCode = "403", description = "Neither an admin nor a manager of the project whose allow-list holds the type",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a member", value = NOT_A_MANAGER)))
    @APIResponse(responseCode = "404", description = "The type is not registered in the project")
    public Envelope delete(@PathParam("project") String project,
            @Parameter(description = "name|input_type|output_type", example = "breakdown|folder|folder")
            @PathParam("type") String type) throws SQLException {
        projects.require(project);
        requireManager(project, type);
        if (types.find(project, type).isEmpty()) {
            throw ApiException.notFound("Link type " + type + " is not registered in project '" + project + "'.");
        }
        int removed = links.deleteOfType(project, type);
        types.delete(project, type);
        return Envelope.of(Map.of("deleted", type, "links_deleted", removed));
    }

    /** Refuses (403) a caller that may not register or delete {@code type}, saying who may. */
    private void requireManager(String project, String type) {
        Caller who = caller.get();
        if (who.managesLinkType(type)) {
            return;
        }
        String message = who.manager()
                ? "Your allow-list in project '" + project + "' does not hold link type " + EntityIds.abbreviate(type)
                        + ": a manager registers and deletes only the types whose links it may create and delete,"
                        + " since deleting a type deletes all its links. An admin may change your allow-list."
                : "Only an admin or a manager of project '" + project + "' may register and delete link types"
                        + " (deleting a type deletes all its links); an admin can make you a manager with PUT"
                        + " /api/admin/users/{user}/projects/" + project + " {\"role\": \"manager\"}.";
        throw new ApiException(new ApiError(403, message, Map.of("linkType", type)));
    }
}
