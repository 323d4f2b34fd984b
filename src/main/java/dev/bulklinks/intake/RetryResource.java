package dev.bulklinks.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.entity.EntityIds;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST .../jobs/{token}/retry}: a new job of a finished job's failed items. */
@Path("/api/p/{project}/jobs/{token}/retry")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Jobs")
public class RetryResource {

    private static final String CODES = """
            {"codes": [404, 409]}""";
    private static final String NOTHING_TO_RETRY = """
            {"success": false, "result": {"code": 409, "message": "Job 77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10 has no failed items with error code 404 or 409; there is nothing to retry.", "info": {}}, "data": {}}""";

    private final Retries retries;
    private final ObjectMapper json;

    RetryResource(Retries retries, ObjectMapper json) {
        this.retries = retries;
        this.json = json;
    }

    @POST
    @Operation(summary = "Retry a job's failed items", description = "Submits a new job of the same kind and"
            + " options made of the finished job's failed items (all of them, or with {\"codes\": [...]} those whose"
            + " error code is listed), unchanged and in their order, as a bulk POST would: the caller is its"
            + " submitter, with their submission limit and link-type allow-list. Answers 202 with the new job's"
            + " token. Its options add \"retry_of\": the retried job's token (and \"codes\"), and each of its results"
            + " has \"original_index\", the item's index in the retried job, to merge the two jobs' results."
            + " Items a cancelled job never ran are not retried (they did not fail). 409 while the job is queued or"
            + " processing, when no failed item matches, and for a records/bulk/link job (send its request again).")
    @APIResponse(responseCode = "202", description = "The failed items are stored as a new job. Location: the new job.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    examples = @ExampleObject(name = "accepted", value = BulkResource.ACCEPTED)))
    @APIResponse(responseCode = "409", description = "The job is not finished, or has no failed items that match",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    examples = @ExampleObject(name = "nothing to retry", value = NOTHING_TO_RETRY)))
    public Response retry(@PathParam("project") String project, @PathParam("token") String token,
            @Parameter(description = BulkResource.IDEMPOTENCY) @HeaderParam(BulkResource.IDEMPOTENCY_KEY)
            String idempotencyKey,
            @RequestBody(description = "Optional: {\"codes\": [...]} retries only the items that failed with one of"
                    + " these error codes; without a body (or without codes) every failed item",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON,
                            examples = @ExampleObject(name = "only 404 and 409", value = CODES)))
            String body) throws SQLException {
        UUID id = EntityIds.parse(token);
        if (id == null) {
            throw ApiException.badRequest("'" + EntityIds.abbreviate(token) + "' is not a job token; job tokens are UUIDs.");
        }
        return retries.retry(project, id, codes(body), idempotencyKey).toResponse(project);
    }

    /** The codes of an optional body {"codes": [404, 409]}; null for every failed item. */
    Set<Integer> codes(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw malformed();
        }
        if (!node.isObject()) {
            throw malformed();
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("codes")) {
                throw ApiException.badRequest("Unknown field '" + name + "'; the body may hold codes only, such as"
                        + " {\"codes\": [404, 409]}.");
            }
        }
        JsonNode codes = node.get("codes");
        if (codes == null || codes.isNull()) {
            return null;
        }
        if (!codes.isArray() || codes.isEmpty()) {
            throw ApiException.badRequest("codes must be a non-empty array of error codes, such as [404, 409];"
                    + " leave it out to retry every failed item.");
        }
        Set<Integer> set = new TreeSet<>();
        for (JsonNode code : codes) {
            if (!code.isIntegralNumber() || !code.canConvertToInt() || code.intValue() < 100 || code.intValue() > 9999) {
                throw ApiException.badRequest("codes must be error codes, whole numbers such as 404 or 1001; "
                        + code + " is not one.");
            }
            set.add(code.intValue());
        }
        return set;
    }

    private static ApiException malformed() {
        return ApiException.badRequest("The body must be a JSON object such as {\"codes\": [404, 409]}, or empty.");
    }
}
