package dev.bulklinks.link;

import dev.bulklinks.auth.CurrentCaller;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.Envelope;
import dev.bulklinks.api.Paging;
import dev.bulklinks.entity.EntityIds;
import dev.bulklinks.project.Projects;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

@Path("/api/p/{project}/links")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Links", description = "Links one at a time, with AYON's checks. For many, use the bulk jobs.")
public class LinkResource {

    private static final Pattern CURSOR = Pattern.compile("^(-?\\d{1,10}):(\\d{1,19})$");
    private static final String NEW = """
            {"input": "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71", "output": "0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40",
             "linkType": "breakdown|folder|folder", "data": {"occurrence": 1}}""";
    private static final String CREATED = """
            {"success": true, "result": {"id": "9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60"}, "data": {}}""";
    private static final String ONE = """
            {"success": true, "result": {"id": "9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60", "linkType": "breakdown|folder|folder",
             "input": "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71", "output": "0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40", "name": null,
             "data": {"occurrence": 1}, "position": 0, "author": "pipeline", "created_at": 1795552458.372077}, "data": {}}""";
    private static final String PAGE = """
            {"success": true, "result": {"links": [{"id": "9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60",
             "linkType": "breakdown|folder|folder", "input": "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71",
             "output": "0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40", "name": null, "data": {"occurrence": 1}, "position": 0,
             "author": "pipeline", "created_at": 1795552458.372077}], "next_cursor": "9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60"}, "data": {}}""";
    private static final String NOT_ALLOWED = """
            {"success": false, "result": {"code": 403, "message": "You may not delete links of type reference|folder|folder.",
             "info": {"details": ["linkType: reference|folder|folder"]}}, "data": {}}""";
    private static final String DELETED = """
            {"success": true, "result": {"deleted": "9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60"}, "data": {}}""";

    private final Projects projects;
    private final LinkBatch batch;
    private final LinkDeleteBatch deletes;
    private final LinkRepository links;
    private final CurrentCaller caller;

    LinkResource(Projects projects, LinkBatch batch, LinkDeleteBatch deletes, LinkRepository links,
            CurrentCaller caller) {
        this.caller = caller;
        this.projects = projects;
        this.batch = batch;
        this.deletes = deletes;
        this.links = links;
    }

    @POST
    @Transactional
    @Operation(summary = "Create one link", description = "Checks, in order: type given (400), type on the caller's"
            + " allow-list (403),"
            + " type has three parts (400), not an entity linked to itself (400), both entities exist (404),"
            + " entity types match the link type (422, code 1001), type registered (422, code 1001),"
            + " id not taken (409). Answers the new link's id. link, the old name of linkType, is accepted;"
            + " both together with different values are a 400.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "a shot in a sequence", value = NEW)))
    @APIResponse(responseCode = "201", description = "Created; Location: the link",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "created", value = CREATED)))
    @APIResponse(responseCode = "409", description = "The id is taken")
    @APIResponse(responseCode = "422", description = "Entity types do not match the link type, or the type is not registered (code 1001)")
    public Response create(@PathParam("project") String project, LinkItem item) throws SQLException {
        projects.require(project);
        if (item == null) {
            throw ApiException.badRequest("Send the link as a JSON object: {\"input\", \"output\", \"linkType\"}.");
        }
        UUID id = batch.run(project, List.of(item), LinkBatch.Options.CREATE, caller.get().submitter(), null, 0, true)
                .get(0).idOrThrow();
        return Response.created(URI.create("/api/p/" + project + "/links/" + id))
                .entity(Envelope.of(Map.of("id", id))).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One link")
    @APIResponse(responseCode = "200", description = "The link",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a link", value = ONE)))
    public Envelope get(@PathParam("project") String project, @PathParam("id") String id) throws SQLException {
        projects.require(project);
        UUID uuid = EntityIds.require("id", id);
        return Envelope.of(links.find(project, uuid).orElseThrow(() -> notFound(project, uuid)));
    }

    @GET
    @Operation(summary = "A page of links", description = "The links of an entity (input or output given) come in"
            + " position order, then creation order; the links of a whole project in id order (the ids the service"
            + " makes are time-ordered, so its links come in creation order). Pass the answered next_cursor as"
            + " cursor to get the next page, with the same filters.")
    @APIResponse(responseCode = "200", description = "A page of links; next_cursor is null on the last page",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a page", value = PAGE)))
    public Envelope list(@PathParam("project") String project,
            @Parameter(description = "Only links from this entity") @QueryParam("input") String input,
            @Parameter(description = "Only links to this entity") @QueryParam("output") String output,
            @Parameter(description = "Only links of this type", example = "breakdown|folder|folder")
            @QueryParam("type") String type,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) throws SQLException {
        projects.require(project);
        LinkRepository.Page page = links.list(project, input == null ? null : EntityIds.require("input", input),
                output == null ? null : EntityIds.require("output", output), type,
                cursor(cursor, input != null || output != null), Paging.limit(limit));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("links", page.links());
        result.put("next_cursor", page.next() == null ? null : page.next().toString());
        return Envelope.of(result);
    }

    @DELETE
    @Path("/{id}")
    @Transactional
    @Operation(summary = "Delete one link", description = "The link's type must be on the caller's allow-list,"
            + " as for creating it (403 otherwise); admins and members without an allow-list may delete any link.")
    @APIResponse(responseCode = "200", description = "Deleted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "deleted", value = DELETED)))
    @APIResponse(responseCode = "403", description = "The link's type is not on the caller's allow-list",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "type not allowed",
                    value = NOT_ALLOWED)))
    public Envelope delete(@PathParam("project") String project, @PathParam("id") String id) throws SQLException {
        projects.require(project);
        UUID uuid = EntityIds.require("id", id);
        deletes.run(project, List.of(uuid.toString()), caller.get().submitter(), 0, true).get(0).idOrThrow();
        return Envelope.of(Map.of("deleted", uuid));
    }

    /**
     * The cursor of a page of an entity's links ({@code position:seq}) or of a project's ({@code id}); a
     * cursor of the other kind was not answered for the same filters, so it is refused like any other.
     */
    private static LinkRepository.Cursor cursor(String cursor, boolean byPosition) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        ApiException refused = ApiException.badRequest("cursor must be the value of \"next_cursor\" from the previous"
                + " page, with the same input and output.");
        if (!byPosition) {
            UUID after = EntityIds.parse(cursor);
            if (after == null) {
                throw refused;
            }
            return LinkRepository.Cursor.byId(after);
        }
        Matcher m = CURSOR.matcher(cursor);
        if (!m.matches()) {
            throw refused;
        }
        try {
            return LinkRepository.Cursor.byPosition(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
        } catch (NumberFormatException e) {
            throw refused;
        }
    }

    private static ApiException notFound(String project, UUID id) {
        return ApiException.notFound("Link " + id + " not found in project '" + project + "'.");
    }
}
