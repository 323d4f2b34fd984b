package dev.bulklinks.webhook;

import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.Envelope;
import dev.bulklinks.api.Paging;
import dev.bulklinks.auth.Caller;
import dev.bulklinks.auth.CurrentCaller;
import dev.bulklinks.entity.EntityIds;
import dev.bulklinks.project.Projects;
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
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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

@Path("/api/p/{project}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks", description = "Endpoints that hear of the project's jobs: job.finished when a job is done,"
        + " rejected or cancelled; job.progress at most once per progress_every seconds while it runs. Each delivery"
        + " is a POST with the headers X-BulkLinks-Delivery (its id, the same in every attempt: drop repeats),"
        + " X-BulkLinks-Event and X-BulkLinks-Signature: t=<Unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\""
        + " keyed with the webhook's secret>. Anything but a 2xx is tried again, the wait doubling up to an hour,"
        + " for a day. Only hosts on the service's allow-list (bulklinks.webhooks.allowed-hosts) can be called."
        + " For admins and the project's managers.")
public class WebhookResource {

    /** Webhooks one project may have. */
    static final int MAX_PER_PROJECT = 20;
    private static final Set<String> EVENTS = Set.of(DeliveryRecorder.FINISHED, DeliveryRecorder.PROGRESS);
    private static final String ID = "6c1f1b9e-2f43-4a8e-9d59-3b1c55a0e7d2";

    private static final String BODY = """
            {"url": "https://hooks.example.com/bulk-links", "events": ["job.finished", "job.progress"], "progress_every": 30}""";
    private static final String WEBHOOK = """
            "id": "6c1f1b9e-2f43-4a8e-9d59-3b1c55a0e7d2", "project_gid": "demo", "url": "https://hooks.example.com/bulk-links",
             "events": ["job.finished", "job.progress"], "progress_every": 30,""";
    private static final String CREATED = "{\"success\": true, \"result\": {" + WEBHOOK + """
             "secret": "whsec_Q2hhbmdlIG1lOiB0aGlzIGlzIGFuIGV4YW1wbGUgb25seQ", "created_by": "admin",
             "created_on": 1795552453.821626}, "data": {}}""";
    private static final String ONE = "{\"success\": true, \"result\": {" + WEBHOOK + """
             "created_by": "admin", "created_on": 1795552453.821626}, "data": {}}""";
    private static final String ALL = "{\"success\": true, \"result\": {\"webhooks\": [{" + WEBHOOK + """
             "created_by": "admin", "created_on": 1795552453.821626}]}, "data": {}}""";
    private static final String DELETED = """
            {"success": true, "result": {"deleted": "6c1f1b9e-2f43-4a8e-9d59-3b1c55a0e7d2"}, "data": {}}""";
    private static final String DELIVERIES = """
            {"success": true, "result": {"deliveries": [{"id": "0f9d2c4e-7a1b-4c3d-8e5f-6a7b8c9d0e1f",
             "webhook": "6c1f1b9e-2f43-4a8e-9d59-3b1c55a0e7d2", "event": "job.finished",
             "job.token": "77efdebe-0c1d-4e3f-9a8b-1c2d3e4f5a6b", "state": "delivered", "attempts": 2, "last_status": 200,
             "last_error": "HTTP 503: try later", "created_on": 1795552458.592301, "next_attempt_on": 1795552488.104233,
             "finished_on": 1795552489.410532}], "next_cursor": null}, "data": {}}""";
    private static final String CALLBACK_SECRET = """
            {"success": true, "result": {"secret": "whsec_Q2hhbmdlIG1lOiB0aGlzIGlzIGFuIGV4YW1wbGUgb25seQ"}, "data": {}}""";
    private static final String NOT_ALLOWED = """
            {"success": false, "result": {"code": 400, "message": "Host 'intranet.local' is not on the service's allow-list\
             for webhooks (bulklinks.webhooks.allowed-hosts); an operator of the service can add it.",
             "info": {"url": "http://intranet.local/hook"}}, "data": {}}""";

    private final Projects projects;
    private final WebhookRepository webhooks;
    private final CurrentCaller caller;
    private final Destinations destinations;

    WebhookResource(Projects projects, WebhookRepository webhooks, CurrentCaller caller, Destinations destinations) {
        this.projects = projects;
        this.webhooks = webhooks;
        this.caller = caller;
        this.destinations = destinations;
    }

    /** The body of a registration. */
    public record WebhookBody(String url, List<String> events, Integer progress_every) {
    }

    @POST
    @Operation(summary = "Register a webhook", description = "Answers the webhook with its signing secret, which is"
            + " shown only here. events defaults to [\"job.finished\"], progress_every (seconds, 1 to 86400) to 60."
            + " At most " + MAX_PER_PROJECT + " per project.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "finished and progress", value = BODY)))
    @APIResponse(responseCode = "201", description = "Registered; keep the secret to check signatures",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "registered", value = CREATED)))
    @APIResponse(responseCode = "400", description = "A field is missing or wrong, or the URL's host is not allowed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "host not allowed", value = NOT_ALLOWED)))
    public Response register(@Parameter(description = "The project", example = "demo") @PathParam("project") String project,
            WebhookBody body, @Context UriInfo uri) throws SQLException {
        Caller who = requireManager(project);
        if (body == null || body.url() == null || body.url().isBlank()) {
            throw ApiException.badRequest("Field 'url' is required: the https URL to call.");
        }
        destinations.refusal(body.url()).ifPresent(why -> {
            throw new ApiException(new ApiError(400, why, Map.of("url", body.url())));
        });
        Set<String> events = new LinkedHashSet<>(body.events() == null ? List.of(DeliveryRecorder.FINISHED) : body.events());
        if (events.isEmpty() || events.contains(null) || !EVENTS.containsAll(events)) {
            throw new ApiException(new ApiError(400, "Field 'events' lists what to send: job.finished, job.progress"
                    + " or both.", Map.of("events", body.events())));
        }
        int every = body.progress_every() == null ? 60 : body.progress_every();
        if (every < 1 || every > 86_400) {
            throw ApiException.badRequest("Field 'progress_every' is in seconds, from 1 to 86400.");
        }
        if (webhooks.list(project).size() >= MAX_PER_PROJECT) {
            throw ApiException.conflict("Project '" + project + "' has " + MAX_PER_PROJECT
                    + " webhooks, the most it may have: delete one first.");
        }
        String secret = Signature.newSecret();
        WebhookRepository.Webhook created = new WebhookRepository.Webhook(UUID.randomUUID(), project, body.url(),
                new ArrayList<>(events), every, secret, who.name(), Instant.now().truncatedTo(ChronoUnit.MICROS));
        webhooks.insert(created, secret);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build())
                .entity(Envelope.of(created)).build();
    }

    @GET
    @Operation(summary = "The project's webhooks", description = "Oldest first, without their secrets.")
    @APIResponse(responseCode = "200", description = "The webhooks",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "one", value = ALL)))
    public Envelope list(@Parameter(description = "The project", example = "demo") @PathParam("project") String project)
            throws SQLException {
        requireManager(project);
        return Envelope.of(Map.of("webhooks", webhooks.list(project)));
    }

    @GET
    @Path("/callback-secret")
    @Operation(summary = "The project's callback secret", description = "Signs the deliveries to the callback URLs"
            + " of the project's submissions (the bulk option callback), as a webhook's secret signs its deliveries;"
            + " made at first use, the same for every callback of the project.")
    @APIResponse(responseCode = "200", description = "The secret",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "the secret", value = CALLBACK_SECRET)))
    public Envelope callbackSecret(@Parameter(description = "The project", example = "demo") @PathParam("project") String project)
            throws SQLException {
        requireManager(project);
        return Envelope.of(Map.of("secret", webhooks.callbackSecret(project)));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One webhook")
    @APIResponse(responseCode = "200", description = "The webhook, without its secret",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "one", value = ONE)))
    @APIResponse(responseCode = "404", description = "No such webhook in the project")
    public Envelope get(@Parameter(description = "The project", example = "demo") @PathParam("project") String project,
            @Parameter(description = "The webhook's id", example = ID) @PathParam("id") String id) throws SQLException {
        requireManager(project);
        return Envelope.of(webhook(project, id));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a webhook", description = "Its deliveries go with it, those still to send included.")
    @APIResponse(responseCode = "200", description = "Deleted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "deleted", value = DELETED)))
    @APIResponse(responseCode = "404", description = "No such webhook in the project")
    public Envelope delete(@Parameter(description = "The project", example = "demo") @PathParam("project") String project,
            @Parameter(description = "The webhook's id", example = ID) @PathParam("id") String id) throws SQLException {
        requireManager(project);
        if (!webhooks.delete(project, EntityIds.require("id", id))) {
            throw notFound(project, id);
        }
        return Envelope.of(Map.of("deleted", id));
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "A webhook's deliveries, newest first", description = "Each event sent or to send: state"
            + " pending (next_attempt_on says when), delivered (a 2xx came back) or failed (no 2xx within a day),"
            + " with the attempts made and the last answer's status and error. Kept 7 days after they end.")
    @APIResponse(responseCode = "200", description = "A page of deliveries; next_cursor is null on the last page",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a page", value = DELIVERIES)))
    @APIResponse(responseCode = "404", description = "No such webhook in the project")
    public Envelope deliveries(@Parameter(description = "The project", example = "demo") @PathParam("project") String project,
            @Parameter(description = "The webhook's id", example = ID) @PathParam("id") String id,
            @Parameter(description = "next_cursor of the previous page; absent for the first page", example = "42")
            @QueryParam("cursor") String cursor,
            @Parameter(description = "Deliveries per page, 1 to 1000 (default 100)", example = "100")
            @QueryParam("limit") String limit) throws SQLException {
        requireManager(project);
        WebhookRepository.Webhook webhook = webhook(project, id);
        int size = Paging.limit(limit);
        List<WebhookRepository.Delivery> page = webhooks.deliveries(webhook.id(), Paging.cursor(cursor), size);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("deliveries", page);
        result.put("next_cursor", Paging.nextCursor(page, size, WebhookRepository.Delivery::seq));
        return Envelope.of(result);
    }

    private WebhookRepository.Webhook webhook(String project, String id) throws SQLException {
        return webhooks.find(project, EntityIds.require("id", id)).orElseThrow(() -> notFound(project, id));
    }

    private static ApiException notFound(String project, String id) {
        return ApiException.notFound("Webhook " + id + " is not registered in project '" + project + "'.");
    }

    /** Refuses (403) a caller who is neither an admin nor a manager of the project. */
    private Caller requireManager(String project) {
        projects.require(project);
        Caller who = caller.get();
        if (!who.admin() && !who.manager()) {
            throw new ApiException(new ApiError(403, "Only an admin or a manager of project '" + project
                    + "' may see and change its webhooks; an admin can make you a manager with PUT"
                    + " /api/admin/users/{user}/projects/" + project + " {\"role\": \"manager\"}.", null));
        }
        return who;
    }
}
