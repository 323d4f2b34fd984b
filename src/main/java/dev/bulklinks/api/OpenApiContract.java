package dev.bulklinks.api;

import dev.bulklinks.auth.AuthFilter;
import dev.bulklinks.intake.BulkResource;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * What every route shares, written once into the OpenAPI document: the bearer token on the routes
 * {@link AuthFilter} guards, and the error answers in the contract's envelope, each with an example;
 * and the NDJSON example of the bulk body, which an annotation would have read as one JSON value.
 */
public class OpenApiContract implements OASFilter {

    private static final Map<String, String> ERRORS = Map.of(
            "400", "Malformed: a body, parameter or id that cannot be read; the message says what to fix.",
            "401", "No valid token: missing, malformed, expired, forged, or its API key was revoked.",
            "403", "Not allowed: not a member of the project, or an admin-only route.",
            "404", "Unknown: the project, or the job, link or entity in this project.",
            "503", "The database is unreachable; retry after Retry-After seconds.");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (item.getOperations() == null || !AuthFilter.guarded(path) && !path.equals("/api/auth")) {
                return;
            }
            item.getOperations().values().forEach(operation -> {
                if (AuthFilter.guarded(path)) {
                    operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("bearer"));
                }
                addErrors(operation, AuthFilter.guarded(path));
            });
        });
        var bulk = openAPI.getPaths().getPathItem("/api/p/{project}/links/bulk");
        if (bulk != null && bulk.getPOST() != null && bulk.getPOST().getRequestBody() != null) {
            var ndjson = bulk.getPOST().getRequestBody().getContent().getMediaType("application/x-ndjson");
            if (ndjson != null) {
                ndjson.addExample("by id and by source key", OASFactory.createExample().value(BulkResource.LINKS_NDJSON));
            }
        }
    }

    private static void addErrors(Operation operation, boolean guarded) {
        APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses()
                : operation.getResponses();
        ERRORS.forEach((status, description) -> {
            if ((guarded || !status.equals("403")) && !responses.hasAPIResponse(status)) {
                responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description)
                        .content(OASFactory.createContent().addMediaType("application/json",
                                OASFactory.createMediaType().example(example(Integer.parseInt(status))))));
            }
        });
        operation.setResponses(responses);
    }

    private static Map<String, Object> example(int status) {
        String message = switch (status) {
            case 400 -> "Malformed JSON at line 1, column 12: unexpected character 'x'.";
            case 401 -> "Send Authorization: Bearer <token>; get a token from POST /api/auth with {\"api_key\": \"...\"}.";
            case 403 -> "You are not a member of project 'demo'.";
            case 404 -> "Job 77efdebe-5a2b-4c6e-9d61-3f0c2a7b9e10 not found in project 'demo'.";
            default -> "The database is unavailable; try again shortly.";
        };
        return Map.of("success", false, "result", Map.of("code", status, "message", message, "info", Map.of()),
                "data", Map.of());
    }
}
