package dev.bulklinks.dialect.ayon;

import dev.bulklinks.dialect.DialectErrors;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The one place where the AYON dialect's errors take AYON's shape: every answer under {@code /ayon} that
 * carries the service's error envelope (whatever raised it: {@link dev.bulklinks.api.ErrorMapper}, the auth
 * filter, a body that does not parse, a route that does not exist) leaves as {@code {"code": <status>,
 * "detail": "<message>"}}, which {@code ayon_api} reads. Resources throw the usual
 * {@link dev.bulklinks.api.ApiException} with AYON's status and message.
 */
public class AyonErrors {

    @ServerResponseFilter
    public void toAyonShape(ContainerRequestContext request, ContainerResponseContext response) {
        if (!isAyon(request.getUriInfo().getPath())) {
            return;
        }
        DialectErrors.reshape(response, error -> body(response.getStatus(), error.message()));
    }

    /** AYON's error body. */
    static Map<String, Object> body(int status, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", status);
        body.put("detail", detail);
        return body;
    }

    static boolean isAyon(String path) {
        return path.equals("/ayon") || path.startsWith("/ayon/");
    }
}
