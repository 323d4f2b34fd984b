package dev.bulklinks.intake;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks an {@code Idempotency-Key} header on any route, before its body is read. An empty key is
 * refused (400) rather than taken for no key: it is most likely a script's unset variable, and a
 * retry sent with it would store the job twice. A header parameter cannot tell empty from absent.
 */
public class IdempotencyKeyHeader {

    @ServerRequestFilter
    public void check(ContainerRequestContext request) {
        List<String> values = request.getHeaders().get(BulkResource.IDEMPOTENCY_KEY);
        if (values != null) {
            values.forEach(Intake::idempotencyKey);
        }
    }
}
