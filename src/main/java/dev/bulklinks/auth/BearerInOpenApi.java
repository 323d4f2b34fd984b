package dev.bulklinks.auth;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;

/**
 * Marks every operation that {@link AuthFilter} guards as requiring the bearer token, so that the
 * OpenAPI document and clients generated from it say so; {@code POST /api/auth} stays open.
 */
public class BearerInOpenApi implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (AuthFilter.guarded(path) && item.getOperations() != null) {
                item.getOperations().values().forEach(operation -> operation.addSecurityRequirement(
                        OASFactory.createSecurityRequirement().addScheme("bearer")));
            }
        });
    }
}
