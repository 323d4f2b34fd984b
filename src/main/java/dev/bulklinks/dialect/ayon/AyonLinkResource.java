package dev.bulklinks.dialect.ayon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.Envelope;
import dev.bulklinks.auth.Caller;
import dev.bulklinks.auth.CurrentCaller;
import dev.bulklinks.dialect.JobWait;
import dev.bulklinks.intake.Intake;
import dev.bulklinks.job.ResultsRepository;
import dev.bulklinks.job.JobStatus;
import dev.bulklinks.job.JobView;
import dev.bulklinks.entity.EntityRepository;
import dev.bulklinks.job.ItemOutcome;
import dev.bulklinks.link.LinkBatch;
import dev.bulklinks.link.LinkDeleteBatch;
import dev.bulklinks.link.LinkTypeResource;
import dev.bulklinks.project.Projects;
import io.smallrye.common.annotation.Blocking;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * AYON's link types and links, translated to ours: link types through the code of
 * {@code /api/p/{project}/links/types}, one link through the code of {@code POST /api/p/{project}/links}
 * ({@link LinkBatch}, a batch of one), with AYON's checks, statuses and messages in AYON's order
 * ({@link AyonLinkRules}), and links in bulk as an atomic job of our intake.
 */
@Path("/ayon/api/projects/{project}/links")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = AyonResource.TAG)
public class AyonLinkResource {

    static final String TYPES = """
            {"types": [{"name": "breakdown|folder|folder", "linkType": "breakdown", "inputType": "folder",
             "outputType": "folder", "data": {}}]}""";
    static final String TYPE_BODY = """
            {"data": {"color": "#3f51b5"}}""";
    static final String LINK = """
            {"input": "5e0f6a8e3f7b4d2a9a432b1c0d9e8f71", "output": "0b4e7f7c8d1a4c55bf2e6a9d3c2e1f40",
             "linkType": "breakdown|folder|folder", "data": {"occurrence": 1}}""";
    static final String LINK_ID = """
            {"id": "9d2c4f1e7a6b4e3d8c215f0a9b8e7d60"}""";
    static final String BULK = """
            {"links": [
              {"input": "5e0f6a8e3f7b4d2a9a432b1c0d9e8f71", "output": "0b4e7f7c8d1a4c55bf2e6a9d3c2e1f40",
               "linkType": "breakdown|folder|folder", "data": {"occurrence": 1}},
              {"input": "5e0f6a8e3f7b4d2a9a432b1c0d9e8f71", "output": "0b4e7f7c8d1a4c55bf2e6a9d3c2e1f40",
               "linkType": "breakdown|folder|folder", "data": {"occurrence": 2}}]}""";
    static final String BULK_CREATED = """
            {"created": [
              {"id": "9d2c4f1e7a6b4e3d8c215f0a9b8e7d60", "input": "5e0f6a8e3f7b4d2a9a432b1c0d9e8f71",
               "output": "0b4e7f7c8d1a4c55bf2e6a9d3c2e1f40", "linkType": "breakdown|folder|folder"},
              {"id": "1a2b3c4d5e6f4a7b8c9d0e1f2a3b4c5d", "input": "5e0f6a8e3f7b4d2a9a432b1c0d9e8f71",
               "output": "0b4e7f7c8d1a4c55bf2e6a9d3c2e1f40", "linkType": "breakdown|folder|folder"}]}""";
    static final String BULK_NOT_FOUND = """
            {"code": 404, "detail": "Folder entities not found: 0b4e7f7c8d1a4c55bf2e6a9d3c2e1f40"}""";
    static final String BULK_ACCEPTED = """
            {"success": true, "result": {"job.token": "77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10"}, "data": {}}""";
    static final String NOT_FOUND = """
            {"code": 404, "detail": "Output entity 0b4e7f7c8d1a4c55bf2e6a9d3c2e1f40 not found."}""";

    private final Projects projects;
    private final LinkTypeResource types;
    private final LinkBatch links;
    private final LinkDeleteBatch deletes;
    private final EntityRepository entities;
    private final AyonEvents events;
    private final CurrentCaller caller;
    private final Intake intake;
    private final JobWait wait;
    private final ResultsRepository jobs;
    private final AyonBulkRequest bulkRequest;

    AyonLinkResource(Projects projects, LinkTypeResource types, LinkBatch links, LinkDeleteBatch deletes,
            EntityRepository entities, AyonEvents events, CurrentCaller caller, Intake intake, JobWait wait,
            ResultsRepository jobs, AyonBulkRequest bulkRequest) {
        this.intake = intake;
        this.wait = wait;
        this.jobs = jobs;
        this.bulkRequest = bulkRequest;
        this.projects = projects;
        this.types = types;
        this.links = links;
        this.deletes = deletes;
        this.entities = entities;
        this.events = events;
        this.caller = caller;
    }

    @GET
    @Path("/types")
    @Operation(summary = "AYON: list link types")
    @APIResponse(responseCode = "200", description = "The project's link types",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "one type", value = TYPES)))
    public Map<String, Object> listTypes(@Parameter(description = AyonResource.PROJECT, example = "demo") @PathParam("project") String project)
            throws SQLException {
        Envelope ours = types.list(project);
        @SuppressWarnings("unchecked")
        List<LinkTypeResource.LinkTypeView> views = (List<LinkTypeResource.LinkTypeView>) ((Map<String, Object>) ours.result())
                .get("types");
        return Map.of("types", views.stream().map(view -> {
            Map<String, Object> type = new LinkedHashMap<>();
            type.put("name", view.name());
            type.put("linkType", view.link_type());
            type.put("inputType", view.input_type());
            type.put("outputType", view.output_type());
            type.put("data", view.data());
            return type;
        }).toList());
    }

    @PUT
    @Path("/types/{type}")
    @Operation(summary = "AYON: save a link type", description = "name|input_type|output_type, the | sent as %7C;"
            + " input and output types are AYON's: folder, product, version, representation, task. Body: {\"data\"?}."
            + " Creates the type or replaces its data. Admins and the project's managers.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "with data", value = TYPE_BODY)))
    @APIResponse(responseCode = "204", description = "Saved")
    @APIResponse(responseCode = "400", description = "Not name|input_type|output_type with AYON's entity types")
    public Response saveType(@Parameter(description = AyonResource.PROJECT, example = "demo") @PathParam("project") String project,
            @Parameter(description = AyonResource.LINK_TYPE, example = "breakdown|folder|folder") @PathParam("type") String type, JsonNode body)
            throws SQLException {
        AyonLinkRules.requireType(type);
        JsonNode data = body == null ? null : body.get("data");
        types.put(project, type, new LinkTypeResource.LinkTypeBody(data != null && data.isObject() ? (ObjectNode) data
                : JsonNodeFactory.instance.objectNode()));
        return Response.noContent().build();
    }

    @DELETE
    @Path("/types/{type}")
    @Operation(summary = "AYON: delete a link type", description = "And every link of it. As AYON, a type that is not"
            + " registered answers 204 too.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response deleteType(@Parameter(description = AyonResource.PROJECT, example = "demo") @PathParam("project") String project,
            @Parameter(description = AyonResource.LINK_TYPE, example = "breakdown|folder|folder") @PathParam("type") String type) throws SQLException {
        AyonLinkRules.requireType(type);
        projects.require(project);
        try {
            types.delete(project, type);
        } catch (ApiException e) {
            // The project exists: a 404 says the type is not registered, which AYON answers with 204 too.
            if (e.error().code() != 404) {
                throw e;
            }
        }
        return Response.noContent().build();
    }

    @POST
    @Transactional
    @Operation(summary = "AYON: create a link", description = "Body: {\"id\"?, \"input\", \"output\", \"linkType\" (or"
            + " link_type, or the deprecated link), \"name\"?, \"data\"?}. AYON's checks in AYON's order: type missing (400),"
            + " not on the caller's allow-list (403), not three parts (400), an entity linked to itself (400), input"
            + " then output not found, or not of the type's entity type (404), type not registered (400 \"Unsupported"
            + " link type.\"), id taken (409). Records the event link.created.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a link", value = LINK)))
    @APIResponse(responseCode = "200", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "created", value = LINK_ID)))
    @APIResponse(responseCode = "404", description = "An end not found",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "not found", value = NOT_FOUND)))
    public Map<String, Object> create(@Parameter(description = AyonResource.PROJECT, example = "demo") @PathParam("project") String project, JsonNode body) throws SQLException {
        projects.require(project);
        Caller who = caller.get();
        AyonLinkRules.Link link = AyonLinkRules.read(body, "");
        AyonLinkRules.checkAlone(link, who.submitter());
        ItemOutcome outcome = links.run(project, List.of(link.item()), LinkBatch.Options.CREATE, who.submitter(), null, 0,
                true).get(0);
        if (outcome instanceof ItemOutcome.Failed failed) {
            throw AyonLinkRules.refusal(failed, link, entities.types(project, Set.of(link.input(), link.output())),
                    "Link already exists.");
        }
        UUID id = outcome.idOrThrow();
        events.linkCreated(project, who.name(), id, link.type(), link.input(), link.output());
        return Map.of("id", AyonIds.hex(id));
    }

    @POST
    @Path("/bulk")
    // Reads and stores the body on a worker thread; the wait that follows holds none (JobWait).
    @Blocking
    @Operation(summary = "AYON: create links in bulk", description = "Body: {\"links\": [{\"id\"?, \"input\","
            + " \"output\", \"linkType\", \"name\"?, \"data\"?}]}. All or nothing: the links are stored as one atomic job"
            + " of the intake, and the request waits for it (holding no thread nor database connection) up to"
            + " bulklinks.dialects.wait, then answers as AYON: 200 {\"created\": [{\"id\", \"input\", \"output\","
            + " \"linkType\"}]} in input order; 400, 403 as for one link, checked on every link before anything is"
            + " stored; 404 \"<Type> entities not found: <ids>\"; 400 \"Unsupported link type.\"; 409 \"One or more"
            + " link IDs already exist.\" Records one event links.created {count, links}. With Prefer: respond-async, or"
            + " when the job outlasts the wait: 202 with the job token and Location, to follow with GET"
            + " /api/p/{project}/jobs/{token}.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "two links", value = BULK)))
    @APIResponse(responseCode = "200", description = "Every link created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "created", value = BULK_CREATED)))
    @APIResponse(responseCode = "202", description = "Prefer: respond-async, or the job outlasted bulklinks.dialects.wait;"
            + " Location: the job", content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    examples = @ExampleObject(name = "accepted", value = BULK_ACCEPTED)))
    @APIResponse(responseCode = "404", description = "Entities not found; nothing written",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "not found", value = BULK_NOT_FOUND)))
    public CompletionStage<Response> bulk(@Parameter(description = AyonResource.PROJECT, example = "demo") @PathParam("project") String project,
            @Parameter(description = JobWait.PREFER_DESCRIPTION, example = "respond-async") @HeaderParam(JobWait.PREFER) String prefer,
            JsonNode body) throws SQLException {
        projects.require(project);
        Caller who = caller.get();
        JsonNode array = body == null ? null : body.get("links");
        if (array == null || !array.isArray()) {
            throw ApiException.badRequest("Send {\"links\": [{\"input\", \"output\", \"linkType\"}, ...]}.");
        }
        // As AYON: every link is read and checked before anything is stored.
        List<AyonLinkRules.Link> read = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            AyonLinkRules.Link link = AyonLinkRules.read(array.get(i), "links[" + i + "]: ");
            AyonLinkRules.checkAlone(link, who.submitter());
            read.add(link);
        }
        if (read.isEmpty()) {
            return CompletableFuture.completedFuture(Response.ok(Map.of("created", List.of())).build());
        }
        bulkRequest.on();
        Intake.Accepted accepted = intake.submitLinks(project, read.stream().map(AyonLinkRules.Link::item).toList(),
                "create", "id", true, null);
        return wait.answer(project, accepted, prefer, job -> answer(job, read));
    }

    /** AYON's answer to the finished job: every link created, or why none was. */
    private Response answer(JobView job, List<AyonLinkRules.Link> read) {
        try {
            if (job.status() == JobStatus.DONE) {
                List<ObjectNode> results = jobs.resultsByIndex(job, 0, job.info().total()).items();
                List<Map<String, Object>> created = new ArrayList<>(read.size());
                for (int i = 0; i < read.size(); i++) {
                    AyonLinkRules.Link link = read.get(i);
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("id", AyonIds.hex(UUID.fromString(results.get(i).get("id").asText())));
                    one.put("input", AyonIds.hex(link.input()));
                    one.put("output", AyonIds.hex(link.output()));
                    one.put("linkType", link.type());
                    created.add(one);
                }
                return Response.ok(Map.of("created", created)).build();
            }
            if (job.status() == JobStatus.CANCELLED) {
                throw ApiException.conflict("Job " + job.token() + " was cancelled before it ran; no link was created.");
            }
            throw rejection(job, read);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Why a rejected job wrote nothing, in AYON's order: entities not found first (by entity type, in the
     * order the links name them, listing every missing id of that type), then the first refused link's
     * reason (a type not registered, an id taken).
     */
    private ApiException rejection(JobView job, List<AyonLinkRules.Link> read) throws SQLException {
        Map<UUID, String> types = entities.types(job.project(), AyonLinkRules.ends(read));
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        for (AyonLinkRules.Link link : read) {
            String[] parts = link.parts();
            missing.computeIfAbsent(parts[1], t -> new java.util.TreeSet<>());
            if (!parts[1].equals(types.get(link.input()))) {
                missing.get(parts[1]).add(AyonIds.hex(link.input()));
            }
            missing.computeIfAbsent(parts[2], t -> new java.util.TreeSet<>());
            if (!parts[2].equals(types.get(link.output()))) {
                missing.get(parts[2]).add(AyonIds.hex(link.output()));
            }
        }
        for (Map.Entry<String, Set<String>> type : missing.entrySet()) {
            if (!type.getValue().isEmpty()) {
                return ApiException.notFound(Character.toUpperCase(type.getKey().charAt(0)) + type.getKey().substring(1)
                        + " entities not found: " + String.join(", ", type.getValue()));
            }
        }
        for (ObjectNode result : jobs.resultsByOutcome(job, false, 0, job.info().total()).items()) {
            JsonNode error = result.path("error");
            int code = error.path("code").asInt();
            if (code == 424) {
                continue;
            }
            ItemOutcome.Failed failed = new ItemOutcome.Failed(code, error.path("message").asText(),
                    readDetails(error.path("details")));
            return AyonLinkRules.refusal(failed, read.get(result.get("index").asInt()), types,
                    "One or more link IDs already exist.");
        }
        // Rejected as a whole, with no item of its own to blame (the project deleted meanwhile, ...): its error.
        JsonNode error = job.error() == null ? MissingNode.getInstance() : job.error();
        return new ApiException(new ApiError(error.path("code").asInt(400),
                error.path("message").asText("The links were refused; nothing was written."), null));
    }

    private static List<String> readDetails(JsonNode details) {
        List<String> list = new ArrayList<>();
        details.forEach(detail -> list.add(detail.asText()));
        return list;
    }

    @DELETE
    @Path("/{id}")
    @Transactional
    @Operation(summary = "AYON: delete a link", description = "404 when there is no such link; 403 when its type is not"
            + " on the caller's allow-list.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@Parameter(description = AyonResource.PROJECT, example = "demo") @PathParam("project") String project, @Parameter(description = "The link's id, 32 hex digits", example = "9d2c4f1e7a6b4e3d8c215f0a9b8e7d60") @PathParam("id") String id) throws SQLException {
        projects.require(project);
        UUID link = AyonIds.require("link id", id);
        ItemOutcome outcome = deletes.run(project, List.of(link.toString()), caller.get().submitter(), 0, true).get(0);
        if (outcome instanceof ItemOutcome.Failed failed) {
            throw new ApiException(new ApiError(failed.code(), failed.code() == 404 ? "Link " + AyonIds.hex(link)
                    + " not found." : failed.code() == 403 ? "You do not have permission to delete this link."
                    : failed.message(), null));
        }
        return Response.noContent().build();
    }
}
