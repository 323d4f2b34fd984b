package dev.bulklinks.dialect.ayon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.auth.CurrentCaller;
import dev.bulklinks.entity.EntityBatch;
import dev.bulklinks.entity.EntityItem;
import dev.bulklinks.project.ProjectResource;
import dev.bulklinks.project.Projects;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * AYON's projects, and its folders, products, versions and tasks as our entities: the AYON type is the
 * entity's {@code type}, the folder, product or parent folder its {@code parent}, and every other field of
 * the body (folderType, productType, attrib, status, ...) its {@code data}. Created through the same code as
 * {@code POST /api/projects} and {@code POST /api/p/{project}/entities}.
 */
@Path("/ayon/api/projects/{project}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = AyonResource.TAG)
public class AyonProjectResource {

    private static final String PROJECT = """
            {"code": "demo", "folderTypes": {"Asset": {}}, "taskTypes": {"Generic": {}}}""";
    private static final String FOLDER = """
            {"name": "sh010", "folderType": "Shot", "parentId": "5e0f6a8e3f7b4d2a9a432b1c0d9e8f71"}""";
    private static final String PRODUCT = """
            {"name": "modelMain", "folderId": "0b4e7f7c8d1a4c55bf2e6a9d3c2e1f40", "productType": "model"}""";
    private static final String VERSION = """
            {"version": 1, "productId": "9d2c4f1e7a6b4e3d8c215f0a9b8e7d60"}""";
    private static final String TASK = """
            {"name": "animation", "taskType": "Animation", "folderId": "0b4e7f7c8d1a4c55bf2e6a9d3c2e1f40"}""";
    private static final String CREATED = """
            {"id": "0b4e7f7c8d1a4c55bf2e6a9d3c2e1f40"}""";

    /** The fields that name an entity's parent, per AYON type, camelCase first (AYON also reads snake_case). */
    private static final Map<String, List<String>> PARENT = Map.of(
            "folder", List.of("parentId", "parent_id"),
            "product", List.of("folderId", "folder_id"),
            "version", List.of("productId", "product_id"),
            "task", List.of("folderId", "folder_id"));

    private final Projects projects;
    private final ProjectResource projectRoutes;
    private final EntityBatch entities;
    private final CurrentCaller caller;

    AyonProjectResource(Projects projects, ProjectResource projectRoutes, EntityBatch entities, CurrentCaller caller) {
        this.projects = projects;
        this.projectRoutes = projectRoutes;
        this.entities = entities;
        this.caller = caller;
    }

    @PUT
    @Operation(summary = "AYON: create a project", description = "Admins only. The body (code, folderTypes, ...) is"
            + " accepted and not kept. 409 when the project exists. Project names follow ^[a-z][a-z0-9_]{0,62}$.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "a project", value = PROJECT)))
    @APIResponse(responseCode = "201", description = "Created")
    public Response createProject(@Parameter(description = AyonResource.PROJECT, example = "demo") @PathParam("project") String project, JsonNode body)
            throws SQLException {
        projectRoutes.create(new ProjectResource.NewProject(project, null));
        return Response.status(201).build();
    }

    @DELETE
    @Operation(summary = "AYON: delete a project", description = "Admins only. Deletes everything in it.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response deleteProject(@Parameter(description = AyonResource.PROJECT, example = "demo") @PathParam("project") String project) {
        if (!caller.get().admin()) {
            throw ApiException.forbidden("Only an admin may delete projects.");
        }
        if (!projects.delete(project)) {
            throw ApiException.notFound("Project " + project + " not found");
        }
        return Response.noContent().build();
    }

    @POST
    @Path("/folders")
    @Transactional
    @Operation(summary = "AYON: create a folder", description = "Body: {\"id\"?, \"name\", \"folderType\"?, \"parentId\"?}."
            + " An entity of type folder; parentId its parent.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a shot", value = FOLDER)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "created", value = CREATED)))
    public Response folder(@Parameter(description = AyonResource.PROJECT, example = "demo") @PathParam("project") String project, JsonNode body) throws SQLException {
        return create(project, "folder", body, null);
    }

    @POST
    @Path("/products")
    @Transactional
    @Operation(summary = "AYON: create a product", description = "Body: {\"id\"?, \"name\", \"folderId\", \"productType\"}."
            + " An entity of type product under its folder.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a model", value = PRODUCT)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "created", value = CREATED)))
    public Response product(@Parameter(description = AyonResource.PROJECT, example = "demo") @PathParam("project") String project, JsonNode body) throws SQLException {
        return create(project, "product", body, null);
    }

    @POST
    @Path("/versions")
    @Transactional
    @Operation(summary = "AYON: create a version", description = "Body: {\"id\"?, \"version\", \"productId\"}."
            + " An entity of type version under its product, named v001 for version 1 unless a name is given.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "version 1", value = VERSION)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "created", value = CREATED)))
    public Response version(@Parameter(description = AyonResource.PROJECT, example = "demo") @PathParam("project") String project, JsonNode body) throws SQLException {
        String name = body != null && body.path("version").canConvertToInt()
                ? String.format("v%03d", body.get("version").intValue()) : null;
        return create(project, "version", body, name);
    }

    @POST
    @Path("/tasks")
    @Transactional
    @Operation(summary = "AYON: create a task", description = "Body: {\"id\"?, \"name\", \"taskType\", \"folderId\"}."
            + " An entity of type task under its folder.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a task", value = TASK)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "created", value = CREATED)))
    public Response task(@Parameter(description = AyonResource.PROJECT, example = "demo") @PathParam("project") String project, JsonNode body) throws SQLException {
        return create(project, "task", body, null);
    }

    /** One entity of AYON type {@code type}, created as {@code POST /api/p/{project}/entities} creates one. */
    private Response create(String project, String type, JsonNode body, String defaultName) throws SQLException {
        projects.require(project);
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("Send the " + type + " as a JSON object.");
        }
        String name = body.path("name").isTextual() ? body.get("name").textValue() : defaultName;
        if (name == null) {
            throw ApiException.badRequest(type.equals("version") ? "version (an integer) is required."
                    : "name is required.");
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        String parent = null;
        List<String> parentFields = PARENT.get(type);
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) body::fields) {
            String key = field.getKey();
            if (parentFields.contains(key)) {
                if (!field.getValue().isNull()) {
                    parent = AyonIds.require(key, field.getValue().asText()).toString();
                }
            } else if (!key.equals("id") && !key.equals("name")) {
                data.set(key, field.getValue());
            }
        }
        if (parent == null && !type.equals("folder")) {
            throw ApiException.badRequest(parentFields.get(0) + " is required: the id of the " + type + "'s "
                    + (type.equals("version") ? "product." : "folder."));
        }
        String id = body.hasNonNull("id") ? AyonIds.require("id", body.get("id").asText()).toString() : null;
        UUID created = entities.run(project, List.of(new EntityItem(id, type, name, parent, null, null, data)), false, true)
                .get(0).idOrThrow();
        return Response.status(201).entity(Map.of("id", AyonIds.hex(created))).build();
    }
}
