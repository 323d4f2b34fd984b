package dev.bulklinks.dialect.sas;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulklinks.dialect.JobWait;
import dev.bulklinks.dialect.SynchronousUpsert;
import dev.bulklinks.intake.BulkResource;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * SAS Visual Investigator's bulk links ({@code POST /links/bulk}) under {@code /sas/p/{project}}: a
 * translator at the edge ({@link SasLinks}) over the one intake and job engine, answering synchronously
 * ({@link JobWait}).
 */
@Path("/sas/p/{project}")
@SasDialect
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "SAS Visual Investigator", description = "SAS Visual Investigator's \"Bulk Create and Update links\","
        + " spoken as SAS's clients send it: point a client's base URL at /sas/p/{project}. Tokens as for /api.")
public class SasResource {

    static final String REQUEST = """
            {"items": [
              {"relationshipTypeName": "owns", "fromEntityType": "person", "fromId": "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71",
               "toEntityType": "vehicle", "toId": "0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40"},
              {"id": "9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60", "relationshipTypeName": "owns", "fromEntityType": "person",
               "fromId": "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71", "toEntityType": "vehicle", "toId": "0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40"},
              {"relationshipTypeName": "owns", "fromEntityType": "person", "fromId": "00000000-0000-4000-8000-000000000000",
               "toEntityType": "vehicle", "toId": "0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40"}
            ]}""";
    static final String ANSWER = """
            {"name": "links", "count": 3, "items": [
              {"id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "relationshipTypeName": "owns",
               "fromId": "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71", "fromEntityType": "person",
               "toId": "0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40", "toEntityType": "vehicle", "operation": "CREATE"},
              {"id": "9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60", "relationshipTypeName": "owns",
               "fromId": "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71", "fromEntityType": "person",
               "toId": "0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40", "toEntityType": "vehicle", "operation": "UPDATE"},
              {"error": {"errorCode": 404, "message": "From entity 00000000-0000-4000-8000-000000000000 not found.",
               "details": ["From Entity Type: person", "From Entity ID: 00000000-0000-4000-8000-000000000000",
                           "To Entity Type: vehicle", "To Entity ID: 0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40",
                           "Relationship Type: owns"],
               "httpStatusCode": 404, "version": 2}}
            ], "links": [], "version": 2}""";
    static final String ERROR_400 = """
            {"errorCode": 400, "message": "items is required: an array of links, each {\\"id\\"?, \\"relationshipTypeName\\", \\"fromEntityType\\", \\"fromId\\", \\"toEntityType\\", \\"toId\\"}.",
             "details": [], "httpStatusCode": 400, "version": 2}""";
    static final String ERROR_401 = """
            {"errorCode": 401, "message": "Send Authorization: Bearer <token>; get a token from POST /api/auth with {\\"api_key\\": \\"...\\"}.",
             "details": [], "httpStatusCode": 401, "version": 2}""";
    static final String ERROR_403 = """
            {"errorCode": 403, "message": "You are not a member of project 'demo'; an admin can add you (PUT /api/admin/users/{user}/projects/{project}).",
             "details": [], "httpStatusCode": 403, "version": 2}""";
    static final String ERROR_404 = """
            {"errorCode": 404, "message": "Project 'demo' not found.", "details": [], "httpStatusCode": 404, "version": 2}""";
    static final String ERROR_413 = """
            {"errorCode": 413, "message": "The body is larger than 1048576 bytes, the most this resource accepts; send large imports to the bulk endpoints.",
             "details": [], "httpStatusCode": 413, "version": 2}""";
    static final String ERROR_415 = """
            {"errorCode": 415, "message": "Unsupported Content-Type; send application/json (bulk link submissions also take application/x-ndjson).",
             "details": [], "httpStatusCode": 415, "version": 2}""";
    static final String ERROR_429 = """
            {"errorCode": 429, "message": "This API key submitted 120 jobs in the last minute, the most allowed is 120; try again in 17 s, or send more items per job.",
             "details": ["retryAfter: 17"], "httpStatusCode": 429, "version": 2}""";
    static final String ERROR_503 = """
            {"errorCode": 503, "message": "The database is unavailable; try again shortly.", "details": [], "httpStatusCode": 503, "version": 2}""";

    private final SynchronousUpsert upsert;

    SasResource(SynchronousUpsert upsert) {
        this.upsert = upsert;
    }

    @POST
    @Blocking
    @Path("/links/bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Bulk create and update links (SAS)", description = "Each item links fromId to toId with the"
            + " link type relationshipTypeName|fromEntityType|toEntityType, which must be registered in the project"
            + " (PUT /api/p/{project}/links/types/{type}). An item with an id updates that link (or creates it with"
            + " that id); one without creates a link. Runs as a job of the one engine and answers when it is done:"
            + " one result per item, in input order, the link with its operation (CREATE or UPDATE) or SAS's error"
            + " object; a bad item never stops the others. Past bulklinks.dialects.wait, or with Prefer:"
            + " respond-async, 202 with the job token and Location, the job then followed with /api.")
    @APIResponse(responseCode = "200", description = "Every item tried: its link or its error, in input order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "created, updated, failed", value = ANSWER)))
    @APIResponse(responseCode = "202", description = "Prefer: respond-async, or the job outlasted the wait: every item is stored and the job runs on; Location: the job",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted", value = BulkResource.ACCEPTED)))
    @APIResponse(responseCode = "400", description = "A body that is not {\"items\": [...]} with at least one item",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "no items", value = ERROR_400)))
    @APIResponse(responseCode = "401", description = "No valid token, as for /api",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "no token", value = ERROR_401)))
    @APIResponse(responseCode = "403", description = "Not a member of the project",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "not a member", value = ERROR_403)))
    @APIResponse(responseCode = "404", description = "No such project",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "unknown project", value = ERROR_404)))
    @APIResponse(responseCode = "413", description = "A body over bulklinks.api.max-body-size: send more requests, or use /api's bulk routes",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "too large", value = ERROR_413)))
    @APIResponse(responseCode = "415", description = "A body that is not application/json",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "not JSON", value = ERROR_415)))
    @APIResponse(responseCode = "429", description = "Too many submissions with this API key in the last minute; see Retry-After",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "too many", value = ERROR_429)))
    @APIResponse(responseCode = "503", description = "The database is unreachable or this instance is at a limit; retry after Retry-After",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "unavailable", value = ERROR_503)))
    public CompletionStage<Response> bulk(@PathParam("project") String project,
            @Parameter(description = JobWait.PREFER_DESCRIPTION, example = "respond-async") @HeaderParam(JobWait.PREFER) String prefer,
            @Parameter(description = BulkResource.IDEMPOTENCY) @HeaderParam(BulkResource.IDEMPOTENCY_KEY) String idempotencyKey,
            @RequestBody(description = "The links to create or update",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "create, update, a missing entity", value = REQUEST)))
            JsonNode body) throws SQLException {
        List<SasLinks.Item> items = SasLinks.read(body, idempotencyKey);
        return upsert.run(project, SasLinks.links(items), "id", prefer, idempotencyKey,
                results -> SasLinks.answer(items, results));
    }
}
