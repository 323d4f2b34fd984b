package dev.bulklinks.dialect.propeller;

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
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Propeller's bulk links by lookup key ({@code POST /links/bulk/:lookupKey}) under
 * {@code /propeller/p/{project}}: a translator at the edge ({@link PropellerLinks}) over the one intake and
 * job engine, answering synchronously ({@link JobWait}).
 */
@Path("/propeller/p/{project}")
@PropellerDialect
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Propeller", description = "Propeller Commerce's \"Bulk Links by lookup key\", spoken as Propeller's"
        + " clients send it: point a client's base URL at /propeller/p/{project}. Tokens as for /api.")
public class PropellerResource {

    static final String BY_SOURCE_ID = """
            {"links": [
              {"type": "accessories", "subtype": "optional",
               "from": {"class": "product", "source": "erp", "sourceId": "19815", "language": "EN"},
               "to": {"class": "product", "source": "erp", "sourceId": "20001"}, "priority": 1, "isDefault": true},
              {"type": "accessories",
               "from": {"class": "product", "source": "erp", "sourceId": "19815"},
               "to": {"class": "product", "source": "erp", "sourceId": "99999"}}
            ]}""";
    static final String BY_ID = """
            {"links": [
              {"type": "accessories", "from": {"class": "product", "id": "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71"},
               "to": {"class": "product", "id": "0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40"}, "isActive": true}
            ]}""";
    static final String ANSWER = """
            {"data": [
              {"success": true, "id": "9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60", "lookupKey": "sourceId",
               "from": {"class": "product", "source": "erp", "sourceId": "19815", "language": "EN"},
               "to": {"class": "product", "source": "erp", "sourceId": "20001"}},
              {"success": false, "error": "Product with source [erp] and sourceId [99999] not found", "lookupKey": "sourceId",
               "from": {"class": "product", "source": "erp", "sourceId": "19815"},
               "to": {"class": "product", "source": "erp", "sourceId": "99999"}}
            ], "messages": ["Completed"], "total": 2}""";
    static final String ERROR_400 = """
            {"error": {"code": 400, "status": 400, "type": "BadRequest", "messages": ["The lookup key must be id or sourceId: POST .../links/bulk/id or .../links/bulk/sourceId."]}}""";
    static final String ERROR_401 = """
            {"error": {"code": 401, "status": 401, "type": "Unauthorized", "messages": ["Send Authorization: Bearer <token>; get a token from POST /api/auth with {\\"api_key\\": \\"...\\"}."]}}""";
    static final String ERROR_403 = """
            {"error": {"code": 403, "status": 403, "type": "Forbidden", "messages": ["You are not a member of project 'demo'; an admin can add you (PUT /api/admin/users/{user}/projects/{project})."]}}""";
    static final String ERROR_404 = """
            {"error": {"code": 404, "status": 404, "type": "NotFound", "messages": ["Project 'demo' not found; create it with POST /api/projects."]}}""";
    static final String ERROR_413 = """
            {"error": {"code": 413, "status": 413, "type": "PayloadTooLarge", "messages": ["The body is larger than 1048576 bytes, the most this resource accepts; send large imports to the bulk endpoints."]}}""";
    static final String ERROR_415 = """
            {"error": {"code": 415, "status": 415, "type": "UnsupportedMediaType", "messages": ["Unsupported Content-Type; send application/json (bulk link submissions also take application/x-ndjson)."]}}""";
    static final String ERROR_429 = """
            {"error": {"code": 429, "status": 429, "type": "TooManyRequests", "messages": ["This API key submitted 120 jobs in the last minute, the most allowed is 120; try again in 17 s, or send more items per job."]}}""";
    static final String ERROR_503 = """
            {"error": {"code": 503, "status": 503, "type": "ServiceUnavailable", "messages": ["The database is unavailable; try again shortly."]}}""";

    private final SynchronousUpsert upsert;

    PropellerResource(SynchronousUpsert upsert) {
        this.upsert = upsert;
    }

    @POST
    @Blocking
    @Path("/links/bulk/{lookupKey}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Bulk links by lookup key (Propeller)", description = "Each link joins from to to with the"
            + " link type type|<from class>|<to class>, which must be registered in the project (PUT"
            + " /api/p/{project}/links/types/{type}); a class is an entity type. Ends are entity ids ({\"class\","
            + " \"id\"}) with lookup key id, or source keys ({\"class\", \"source\", \"sourceId\"}) with sourceId."
            + " The link with the same ends and type is updated, else one is created; priority is its position,"
            + " subtype, isDefault and isActive go in its data. Runs as a job of the one engine and answers when it"
            + " is done: one result per link, in input order; a link that fails never stops the others. Past"
            + " bulklinks.dialects.wait, or with Prefer: respond-async, 202 with the job token and Location.")
    @APIResponse(responseCode = "200", description = "Every link tried: its id, or its error, in input order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "one written, one unknown key", value = ANSWER)))
    @APIResponse(responseCode = "202", description = "Prefer: respond-async, or the job outlasted the wait: every link is stored and the job runs on; Location: the job",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted", value = BulkResource.ACCEPTED)))
    @APIResponse(responseCode = "400", description = "A lookup key other than id or sourceId, or a body that is not {\"links\": [...]} with at least one link",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "bad lookup key", value = ERROR_400)))
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
            @Parameter(in = ParameterIn.PATH, description = "id: ends are {\"class\", \"id\"}; sourceId: ends are"
                    + " {\"class\", \"source\", \"sourceId\", \"language\"?}", example = "sourceId") @PathParam("lookupKey") String lookupKey,
            @Parameter(description = JobWait.PREFER_DESCRIPTION, example = "respond-async") @HeaderParam(JobWait.PREFER) String prefer,
            @Parameter(description = BulkResource.IDEMPOTENCY) @HeaderParam(BulkResource.IDEMPOTENCY_KEY) String idempotencyKey,
            @RequestBody(description = "The links to create or update",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
                            @ExampleObject(name = "by sourceId (POST .../links/bulk/sourceId)", value = BY_SOURCE_ID),
                            @ExampleObject(name = "by id (POST .../links/bulk/id)", value = BY_ID)}))
            JsonNode body) throws SQLException {
        String key = PropellerLinks.lookupKey(lookupKey);
        List<PropellerLinks.Item> items = PropellerLinks.read(body, key);
        return upsert.run(project, PropellerLinks.links(items), key, prefer, idempotencyKey,
                results -> PropellerLinks.answer(items, results, key));
    }
}
