package dev.bulklinks.dashboard;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.headers.Header;

/**
 * The monitoring dashboard: static files under {@code META-INF/resources/dashboard/}, plain
 * JavaScript over the public API. It asks for an API key and keeps the token for the browser tab.
 */
@Path("/dashboard")
@Tag(name = "Dashboard")
public class DashboardResource {

    @GET
    @Operation(summary = "The monitoring dashboard", description = "Redirects to /dashboard/, the page itself.")
    @APIResponse(responseCode = "303", description = "See /dashboard/",
            headers = @Header(name = "Location", description = "/dashboard/"))
    public Response page() {
        return Response.seeOther(URI.create("/dashboard/")).build();
    }
}
