package dev.bulklinks.intake;

import dev.bulklinks.api.StreamedBody;
import dev.bulklinks.entity.EntityItem;
import dev.bulklinks.job.JobKind;
import dev.bulklinks.link.LinkItem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The bulk submissions: each stores its items durably and answers 202 with the job token. */
@Path("/api/p/{project}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Bulk jobs", description = "Submit thousands to millions of items in one request; they are processed"
        + " in the background. Poll the job at the Location answered, or read its results.")
public class BulkResource {

    static final String NDJSON = Intake.Format.NDJSON_TYPE;
    static final String CSV = Intake.Format.CSV_TYPE;
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String IDEMPOTENCY = "Any unique string (a UUID): a retry with the same key and the same"
            + " request answers the first job's token (with Idempotent-Replayed: true) and stores nothing new; the"
            + " same key with a different request is 422. Keys are per user, and remembered for 24 h.";

    static final String DRY_RUN = "true: a dry run. Every item is checked against the current data and its result"
            + " recorded as it would be, and nothing is written (no links, no entities, no links/entities events);"
            + " the job's options say \"dryRun\": true. In a JSON body, the field dryRun.";

    static final String CALLBACK = "A URL to tell when the job ends: a POST of the webhook event job.finished, signed with"
            + " the project's callback secret (GET /api/p/{project}/webhooks/callback-secret), retried for a day. Its host"
            + " must be on the service's allow-list (bulklinks.webhooks.allowed-hosts), else 422 and nothing is stored."
            + " In a JSON body, the field callback.";
    static final String ENCODING = "gzip to send the body compressed (limits count the decoded bytes); none or"
            + " identity for a plain body. Any other encoding is 415.";

    static final ItemSpec<LinkItem> LINK_ITEMS = new ItemSpec<>("links", LinkItem.class,
            Set.of(BulkOptions.MODE, BulkOptions.LOOKUP_KEY, BulkOptions.ATOMIC, BulkOptions.DRY_RUN, BulkOptions.CALLBACK), LinkItem::missingField);
    private static final ItemSpec<String> LINK_IDS = new ItemSpec<>("ids", String.class,
            Set.of(BulkOptions.ATOMIC, BulkOptions.DRY_RUN, BulkOptions.CALLBACK),
            id -> null);
    private static final ItemSpec<EntityItem> ENTITY_ITEMS = new ItemSpec<>("entities", EntityItem.class,
            Set.of(BulkOptions.ATOMIC, BulkOptions.DRY_RUN, BulkOptions.CALLBACK), item -> item.type() == null ? "type" : item.name() == null ? "name" : null);

    private static final String LINKS_JSON = """
            {"links": [
              {"input": "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71", "output": "0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40",
               "linkType": "breakdown|folder|folder", "data": {"occurrence": 1}},
              {"input": "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71", "output": "0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40",
               "linkType": "breakdown|folder|folder", "data": {"occurrence": 2}}
            ], "mode": "create", "atomic": false}""";
    /** The NDJSON examples, set by {@link dev.bulklinks.api.OpenApiContract}: an annotation's example would be read as one JSON value. */
    public static final String LINKS_NDJSON = """
            {"input": "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71", "output": "0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40", "linkType": "breakdown|folder|folder"}
            {"input": {"source": "erp", "sourceId": "19815"}, "output": {"source": "erp", "sourceId": "20001"}, "linkType": "accessories|product|product"}
            """;
    public static final String IDS_NDJSON = """
            "9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60"
            "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
            """;
    public static final String ENTITIES_NDJSON = """
            {"id": "3c9e1a7b-2d4f-4e6a-9b8c-7d5e3f1a2b40", "type": "category", "name": "Lighting"}
            {"type": "product", "name": "Desk lamp", "parent": "3c9e1a7b-2d4f-4e6a-9b8c-7d5e3f1a2b40", "source": "erp", "sourceId": "19815"}
            """;
    /** The CSV examples, set by {@link dev.bulklinks.api.OpenApiContract} like the NDJSON ones. */
    public static final String LINKS_CSV = """
            input,output,linkType,data
            5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71,0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40,breakdown|folder|folder,"{""occurrence"": 1}"
            "{""source"": ""erp"", ""sourceId"": ""19815""}","{""source"": ""erp"", ""sourceId"": ""20001""}",accessories|product|product,
            """;
    public static final String IDS_CSV = """
            id
            9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60
            1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d
            """;
    public static final String ENTITIES_CSV = """
            id,type,name,parent,source,sourceId
            3c9e1a7b-2d4f-4e6a-9b8c-7d5e3f1a2b40,category,Lighting,,,
            ,product,"Desk lamp, brass",3c9e1a7b-2d4f-4e6a-9b8c-7d5e3f1a2b40,erp,19815
            """;
    private static final String IDS_JSON = """
            {"ids": ["9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60", "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"]}""";
    private static final String ENTITIES_JSON = """
            {"entities": [
              {"type": "product", "name": "Desk lamp", "parent": "3c9e1a7b-2d4f-4e6a-9b8c-7d5e3f1a2b40",
               "source": "erp", "sourceId": "19815", "data": {"colour": "black"}},
              {"id": "3c9e1a7b-2d4f-4e6a-9b8c-7d5e3f1a2b40", "type": "category", "name": "Lighting"}
            ]}""";
    /** The example of a 202 answer, for every route that submits a job. */
    public static final String ACCEPTED = """
            {"success": true, "result": {"job.token": "77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10"}, "data": {}}""";

    private final Intake intake;

    BulkResource(Intake intake) {
        this.intake = intake;
    }

    @POST
    @StreamedBody
    @Path("/links/bulk")
    @Consumes({MediaType.APPLICATION_JSON, NDJSON, CSV})
    @Operation(summary = "Create links in bulk", description = "Body: {\"links\": [{\"input\", \"output\","
            + " \"linkType\", \"data\"?, \"id\"?, \"position\"?, \"name\"?}], \"mode\"?: \"create\", \"atomic\"?: false},"
            + " or NDJSON (application/x-ndjson) with one link a line, or CSV (text/csv: a header row naming the fields,"
            + " data as a JSON cell), with the options as query parameters."
            + " Answers 202 with the job token once every item is stored. atomic: true writes all or nothing.")
    @APIResponse(responseCode = "202", description = "Every item is stored; the job runs in the background. Location: the job.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted", value = ACCEPTED)))
    @APIResponse(responseCode = "422", description = "Idempotency-Key reused for a different request (code 1001)")
    public Response links(@PathParam("project") String project,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Parameter(description = ENCODING) @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            @Parameter(description = IDEMPOTENCY) @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            @Parameter(description = "create (default)") @QueryParam("mode") String mode,
            @Parameter(description = "id (default)") @QueryParam("lookupKey") String lookupKey,
            @Parameter(description = "true: all or nothing") @QueryParam("atomic") String atomic,
            @Parameter(description = DRY_RUN, example = "false") @QueryParam("dryRun") String dryRun,
            @Parameter(description = CALLBACK, example = "https://hooks.example.com/bulk-links") @QueryParam("callback") String callback,
            @RequestBody(description = "The links, as a JSON object or as NDJSON (one link a line, options in the query)",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "two links", value = LINKS_JSON)))
            InputStream body) throws SQLException {
        Map<String, String> query = query(BulkOptions.MODE, mode, BulkOptions.LOOKUP_KEY, lookupKey, BulkOptions.ATOMIC, atomic,
                BulkOptions.DRY_RUN, dryRun, BulkOptions.CALLBACK, callback);
        return submit(project, new Intake.Submission<>(JobKind.BULK_UPSERT_LINKS, LINK_ITEMS,
                fields -> BulkOptions.of(fields, query)), query, contentType, contentEncoding, contentLength, idempotencyKey, body);
    }

    @POST
    @StreamedBody
    @Path("/links/bulk/delete")
    @Consumes({MediaType.APPLICATION_JSON, NDJSON, CSV})
    @Operation(summary = "Delete links in bulk", description = "Body: {\"ids\": [\"<link id>\", ...], \"atomic\"?: false},"
            + " or NDJSON with one id (a JSON string) a line, or CSV with the one column id. Answers 202 with the job token; each result says"
            + " DELETE, or 404 for an id that names no link, or 403 for a link whose type is not on the"
            + " submitter's allow-list as it was at submission (as for creating links).")
    @APIResponse(responseCode = "202", description = "Every id is stored; the job runs in the background.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted", value = ACCEPTED)))
    public Response deleteLinks(@PathParam("project") String project,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Parameter(description = ENCODING) @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            @Parameter(description = IDEMPOTENCY) @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            @Parameter(description = "true: all or nothing") @QueryParam("atomic") String atomic,
            @Parameter(description = DRY_RUN, example = "false") @QueryParam("dryRun") String dryRun,
            @Parameter(description = CALLBACK, example = "https://hooks.example.com/bulk-links") @QueryParam("callback") String callback,
            @RequestBody(description = "The ids of the links to delete, as a JSON object or as NDJSON (one id, a JSON string, a line)",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "two ids", value = IDS_JSON)))
            InputStream body) throws SQLException {
        Map<String, String> query = query(BulkOptions.ATOMIC, atomic, BulkOptions.DRY_RUN, dryRun, BulkOptions.CALLBACK, callback);
        return submit(project, atomicOnly(JobKind.BULK_DELETE_LINKS, LINK_IDS, query), query, contentType,
                contentEncoding, contentLength, idempotencyKey, body);
    }

    @POST
    @StreamedBody
    @Path("/entities/bulk")
    @Consumes({MediaType.APPLICATION_JSON, NDJSON, CSV})
    @Operation(summary = "Create or update entities in bulk", description = "Body: {\"entities\": [{\"id\"?, \"type\","
            + " \"name\", \"parent\"?, \"source\"?, \"sourceId\"?, \"data\"?}], \"atomic\"?: false}. An item with an id"
            + " updates that entity or creates it; one with source + sourceId updates the entity holding that key or"
            + " creates one. A parent may exist already or be any item of the job, before or after its children;"
            + " a child whose parent comes in a later chunk shows as pending until the job's final pass writes it"
            + " after every chunk, and fails with 404 if its parent never came. In an atomic job a parent must come"
            + " in its child's chunk or an earlier one. Also as NDJSON, or as CSV (text/csv) with a header row naming"
            + " the fields.")
    @APIResponse(responseCode = "202", description = "Every item is stored; the job runs in the background.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted", value = ACCEPTED)))
    public Response entities(@PathParam("project") String project,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Parameter(description = ENCODING) @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            @Parameter(description = IDEMPOTENCY) @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            @Parameter(description = "true: all or nothing") @QueryParam("atomic") String atomic,
            @Parameter(description = DRY_RUN, example = "false") @QueryParam("dryRun") String dryRun,
            @Parameter(description = CALLBACK, example = "https://hooks.example.com/bulk-links") @QueryParam("callback") String callback,
            @RequestBody(description = "The entities, as a JSON object or as NDJSON (one entity a line)",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a child before its parent", value = ENTITIES_JSON)))
            InputStream body) throws SQLException {
        Map<String, String> query = query(BulkOptions.ATOMIC, atomic, BulkOptions.DRY_RUN, dryRun, BulkOptions.CALLBACK, callback);
        return submit(project, atomicOnly(JobKind.BULK_UPSERT_ENTITIES, ENTITY_ITEMS, query), query, contentType,
                contentEncoding, contentLength, idempotencyKey, body);
    }

    /** Stores the body as a job of the project; 202 with its token. */
    private <T> Response submit(String project, Intake.Submission<T> submission, Map<String, String> query,
            String contentType, String contentEncoding, Long contentLength, String idempotencyKey, InputStream body)
            throws SQLException {
        return intake.submit(submission, new Intake.Upload(project, body, Intake.Format.of(contentType), contentEncoding,
                contentLength, query, idempotencyKey))
                .toResponse(project);
    }

    /** A kind of job whose only option is atomic. */
    private static <T> Intake.Submission<T> atomicOnly(JobKind kind, ItemSpec<T> spec, Map<String, String> query) {
        return new Intake.Submission<>(kind, spec, fields -> BulkOptions.atomicOnly(fields, query));
    }


    private static Map<String, String> query(String... namesAndValues) {
        Map<String, String> query = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                query.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return query;
    }
}
