package dev.bulklinks.api;

import dev.bulklinks.auth.AuthFilter;
import dev.bulklinks.intake.BulkResource;
import dev.bulklinks.job.JobResource;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * What every route shares, written once into the OpenAPI document: the bearer token on the routes
 * {@link AuthFilter} guards, and the error answers in the contract's envelope, each with an example
 * (413 where a route takes a body, 429 where it submits a job); the description and example of each
 * parameter that many routes share (project, token, cursor, limit, ...);
 * and the NDJSON examples (the bulk body, results.ndjson), which an annotation would have read as one JSON value.
 */
public class OpenApiContract implements OASFilter {

    private static final String NDJSON = "application/x-ndjson";
    /** The bulk routes that take NDJSON too, with an example body of each. */
    private static final Map<String, String> NDJSON_BODIES = Map.of(
            "/api/p/{project}/links/bulk", BulkResource.LINKS_NDJSON,
            "/api/p/{project}/links/bulk/delete", BulkResource.IDS_NDJSON,
            "/api/p/{project}/entities/bulk", BulkResource.ENTITIES_NDJSON);
    private static final String CSV = "text/csv";
    /** The bulk routes that take CSV too, with an example body of each. */
    private static final Map<String, String> CSV_BODIES = Map.of(
            "/api/p/{project}/links/bulk", BulkResource.LINKS_CSV,
            "/api/p/{project}/links/bulk/delete", BulkResource.IDS_CSV,
            "/api/p/{project}/entities/bulk", BulkResource.ENTITIES_CSV);
    private static final String JOB = "77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10";
    private static final String ENTITY = "5e0f6a8e-3f7b-4d2a-9a43-2b1c0d9e8f71";
    private static final String LINK = "9d2c4f1e-7a6b-4e3d-8c21-5f0a9b8e7d60";

    /** An error answer, and the operations that may give it (given whether the route is guarded). */
    private record ErrorAnswer(int status, String description, String message, Map<String, Object> info,
            BiPredicate<Operation, Boolean> appliesTo) {
    }

    private static final List<ErrorAnswer> ERRORS = List.of(
            new ErrorAnswer(400, "Malformed: a body, parameter or id that cannot be read; the message says what to fix.",
                    "Malformed JSON at line 1, column 12: unexpected character 'x'.", Map.of(), (op, guarded) -> true),
            new ErrorAnswer(401, "No valid token: missing, malformed, expired, forged, or its API key was revoked.",
                    "Send Authorization: Bearer <token>; get a token from POST /api/auth with {\"api_key\": \"...\"}.",
                    Map.of(), (op, guarded) -> true),
            new ErrorAnswer(403, "Not allowed: not a member of the project, or an admin-only route.",
                    "You are not a member of project 'demo'.", Map.of(), (op, guarded) -> guarded),
            new ErrorAnswer(404, "Unknown: the project, or the job, link or entity in this project.",
                    "Job 77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10 not found in project 'demo'.", Map.of(),
                    (op, guarded) -> true),
            new ErrorAnswer(408, "The body paused longer than bulklinks.intake.idle-timeout, or was still arriving"
                    + " after bulklinks.intake.timeout; nothing was stored.", "No byte of the body arrived for 60 s;"
                    + " nothing was stored. Send the body again without pauses longer than 60 s"
                    + " (bulklinks.intake.idle-timeout).", Map.of(), OpenApiContract::submitsBody),
            new ErrorAnswer(415, "A Content-Type or Content-Encoding this route does not read.", "Content-Encoding 'br'"
                    + " is not supported; send the body with Content-Encoding gzip, or none (identity).",
                    Map.of("accepted", "gzip, or none (identity)"), OpenApiContract::submitsBody),
            new ErrorAnswer(413, "Too large: the body, one item of a bulk body, or the number of items.",
                    "The body is larger than 1048576 bytes, the most this resource accepts; send large imports to"
                            + " the bulk endpoints.", Map.of(), (op, guarded) -> op.getRequestBody() != null),
            new ErrorAnswer(429, "Too many submissions with this API key in the last minute; see Retry-After.",
                    "This API key submitted 120 jobs in the last minute, the most allowed is 120; try again in 17 s,"
                            + " or send more items per job.", Map.of("retryAfter", 17),
                    (op, guarded) -> submits(op)),
            new ErrorAnswer(503, "Not now: the database is unreachable, or this instance is at a limit (every"
                    + " database connection busy, bulk bodies received at once); retry after Retry-After seconds.",
                    "The database is unavailable; try again shortly.", Map.of(), (op, guarded) -> true));

    private static boolean submits(Operation operation) {
        return operation.getResponses() != null && operation.getResponses().hasAPIResponse("202");
    }

    private static boolean submitsBody(Operation operation, boolean guarded) {
        return submits(operation) && operation.getRequestBody() != null;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (item.getOperations() == null || !AuthFilter.guarded(path) && !AuthFilter.signIn(path)) {
                return;
            }
            item.getOperations().values().forEach(operation -> {
                if (operation.getParameters() != null) {
                    operation.getParameters().forEach(parameter -> describe(path, parameter));
                }
                if (AuthFilter.guarded(path)) {
                    operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("bearer"));
                }
                addErrors(operation, AuthFilter.guarded(path));
            });
        });
        NDJSON_BODIES.forEach((path, example) -> {
            var item = openAPI.getPaths().getPathItem(path);
            if (item != null && item.getPOST() != null && item.getPOST().getRequestBody() != null) {
                item.getPOST().getRequestBody().getContent().addMediaType(NDJSON, OASFactory.createMediaType()
                        .addExample("one item a line", OASFactory.createExample().value(example)));
            }
        });
        CSV_BODIES.forEach((path, example) -> {
            var item = openAPI.getPaths().getPathItem(path);
            if (item != null && item.getPOST() != null && item.getPOST().getRequestBody() != null) {
                item.getPOST().getRequestBody().getContent().addMediaType(CSV, OASFactory.createMediaType()
                        .addExample("a header row, then one item a row", OASFactory.createExample().value(example)));
            }
        });
        var results = openAPI.getPaths().getPathItem("/api/p/{project}/jobs/{token}/results.ndjson");
        if (results != null && results.getGET() != null) {
            results.getGET().getResponses().addAPIResponse("200", OASFactory.createAPIResponse()
                    .description("Every item's result, a line each, in input order")
                    .addHeader("X-Total-Count", OASFactory.createHeader()
                            .description("The number of lines of the whole stream, sent before them")
                            .schema(OASFactory.createSchema().addType(org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.INTEGER)))
                    .content(OASFactory.createContent().addMediaType(NDJSON, OASFactory.createMediaType()
                            .addExample("one created, one failed", OASFactory.createExample().value(JobResource.RESULTS_NDJSON)))));
        }
    }

    /** What a parameter means and an example value, wherever it appears; null where each route says it. */
    private record Shared(String description, String example) {
    }

    /** Gives a parameter the description and example it has on every route, where its route gives none. */
    private static void describe(String path, Parameter parameter) {
        boolean links = path.contains("/links");
        Shared shared = switch (parameter.getName()) {
            case "project" -> new Shared("The project's name", "demo");
            case "token" -> new Shared("The job's token, answered by the bulk POST (202)", JOB);
            case "id" -> path.contains("/entities") ? new Shared("The entity's id", ENTITY)
                    : new Shared("The link's id", LINK);
            case "type" -> parameter.getIn() == Parameter.In.PATH || links
                    ? new Shared("A link type: name|input_type|output_type", "breakdown|folder|folder")
                    : new Shared("An entity type", "folder");
            case "input", "parent" -> new Shared(null, ENTITY);
            case "output" -> new Shared(null, "0b4e7f7c-8d1a-4c55-bf2e-6a9d3c2e1f40");
            case "q" -> new Shared(null, "sh01");
            case "user" -> new Shared("The user's id, answered when the user was created", "be0babb8-b823-4ed8-a082-690096c144cf");
            case "key" -> new Shared("The API key's id (not the key itself)", "27cbe7bc-87b7-4194-a28e-56b473de5e88");
            case "cursor" -> path.startsWith("/sync") || path.endsWith("/events")
                    ? new Shared("Start after this feed cursor; 0 for the whole feed", "41")
                    : new Shared("The next_cursor answered with the previous page; absent for the first page",
                            links ? "0:1" : "100");
            case "limit" -> new Shared("Page size, 1 to " + Paging.MAX_LIMIT + " (default " + Paging.DEFAULT_LIMIT + ")", "100");
            case "offset" -> new Shared("The first item's index (with outcome: the first of those items)", "0");
            case "status" -> new Shared(null, "processing");
            case "outcome" -> new Shared(null, "failed");
            case "mode" -> new Shared(null, "create");
            case "lookupKey" -> new Shared(null, "id");
            case "atomic" -> new Shared(null, "false");
            case "Idempotency-Key" -> new Shared(null, "c1f1e3a0-3d7e-4a5b-9e2f-6b8d0a4c2e19");
            case "Content-Encoding" -> new Shared(null, "gzip");
            case "Last-Event-ID" -> new Shared("Sent by a reconnecting client: the stream resumes right after this"
                    + " event, so nothing is missed or repeated", "41");
            default -> new Shared(null, null);
        };
        if (parameter.getDescription() == null && shared.description() != null) {
            parameter.setDescription(shared.description());
        }
        if (parameter.getExample() == null && parameter.getExamples() == null && shared.example() != null) {
            parameter.setExample(shared.example());
        }
    }

    private static void addErrors(Operation operation, boolean guarded) {
        APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses()
                : operation.getResponses();
        operation.setResponses(responses);
        for (ErrorAnswer error : ERRORS) {
            String status = Integer.toString(error.status());
            if (error.appliesTo().test(operation, guarded) && !responses.hasAPIResponse(status)) {
                Map<String, Object> example = Map.of("success", false, "result", Map.of("code", error.status(),
                        "message", error.message(), "info", error.info()), "data", Map.of());
                responses.addAPIResponse(status, OASFactory.createAPIResponse().description(error.description())
                        .content(OASFactory.createContent().addMediaType("application/json",
                                OASFactory.createMediaType().example(example))));
            }
        }
    }
}
