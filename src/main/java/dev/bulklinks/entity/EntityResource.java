package dev.bulklinks.entity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.Envelope;
import dev.bulklinks.api.Paging;
import dev.bulklinks.project.Projects;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

@Path("/api/p/{project}/entities")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Entities", description = "The things links connect (records, in Unicat's words).")
public class EntityResource {

    private static final String NEW = """
            {"type": "folder", "name": "sh010", "parent": "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71",
             "source": "shotgrid", "sourceId": "Shot-1042", "data": {"frameStart": 1001}}""";
    private static final String CREATED = """
            {"success": true, "result": {"id": "0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40"}, "data": {}}""";
    private static final String ONE = """
            {"success": true, "result": {"id": "0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40", "type": "folder", "name": "sh010",
             "parent": "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71", "source": "shotgrid", "sourceId": "Shot-1042",
             "data": {"frameStart": 1001}, "created_at": 1795552458.249132, "updated_at": 1795552458.249132}, "data": {}}""";
    private static final String PAGE = """
            {"success": true, "result": {"entities": [{"id": "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71", "type": "folder",
             "name": "shots", "parent": null, "source": null, "sourceId": null, "data": {},
             "created_at": 1795552453.988305, "updated_at": 1795552453.988305}], "next_cursor": "1"}, "data": {}}""";

    private final Projects projects;
    private final EntityBatch batch;
    private final EntityRepository entities;

    EntityResource(Projects projects, EntityBatch batch, EntityRepository entities) {
        this.projects = projects;
        this.batch = batch;
        this.entities = entities;
    }

    /** An entity as the API shows it. */
    public record EntityView(UUID id, String type, String name, UUID parent, String source, String sourceId,
            ObjectNode data, Instant created_at, Instant updated_at) {
        static EntityView of(EntityRecord e) {
            return new EntityView(e.id(), e.type(), e.name(), e.parent(), e.source(), e.sourceId(), e.data(),
                    e.createdAt(), e.updatedAt());
        }
    }

    @POST
    @Transactional
    @Operation(summary = "Create one entity", description = "Answers its id. An id already taken, or a source"
            + " key already held by another entity, is 409; an unknown parent is 404.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "a shot under a folder", value = NEW)))
    @APIResponse(responseCode = "201", description = "Created; Location: the entity",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "created", value = CREATED)))
    @APIResponse(responseCode = "409", description = "The id, or the source and sourceId, are taken")
    public Response create(@PathParam("project") String project, EntityItem item) throws SQLException {
        projects.require(project);
        if (item == null) {
            throw ApiException.badRequest("Send the entity as a JSON object: {\"type\", \"name\", \"parent\"?, ...}.");
        }
        UUID id = batch.run(project, List.of(item), false, true).get(0).idOrThrow();
        return Response.created(URI.create("/api/p/" + project + "/entities/" + id))
                .entity(Envelope.of(Map.of("id", id))).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One entity")
    @APIResponse(responseCode = "200", description = "The entity",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "an entity", value = ONE)))
    public Envelope get(@PathParam("project") String project, @PathParam("id") String id) throws SQLException {
        projects.require(project);
        UUID uuid = EntityIds.require("id", id);
        EntityRecord entity = entities.find(project, uuid).orElseThrow(
                () -> ApiException.notFound("Entity " + uuid + " not found in project '" + project + "'."));
        return Envelope.of(EntityView.of(entity));
    }

    @GET
    @Operation(summary = "A page of entities", description = "In creation order, which is also the order of"
            + " children under a parent. Pass the answered next_cursor as cursor to get the next page.")
    @APIResponse(responseCode = "200", description = "A page of entities; next_cursor is null on the last page",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a page", value = PAGE)))
    public Envelope list(@PathParam("project") String project,
            @Parameter(description = "Only entities of this type") @QueryParam("type") String type,
            @Parameter(description = "Only children of this entity") @QueryParam("parent") String parent,
            @Parameter(description = "Only entities whose name contains this text, ignoring case") @QueryParam("q") String q,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) throws SQLException {
        projects.require(project);
        int size = Paging.limit(limit);
        Long after = Paging.cursor(cursor);
        List<EntityRecord> page = entities.page(project, type,
                parent == null ? null : EntityIds.require("parent", parent), q, after, size);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("entities", page.stream().map(EntityView::of).toList());
        result.put("next_cursor", Paging.nextCursor(page, size, EntityRecord::position));
        return Envelope.of(result);
    }
}
