package dev.bulklinks.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Holds every request body, but the streamed bulk submissions, to {@code bulklinks.api.max-body-size}
 * while it is read, whether or not it declares its length: a caller cannot make the service buffer
 * a large body. Quarkus's own limit sits far above, so that this one answers, in the envelope.
 */
public class BodyLimit {

    /** HTTP settings of the API ({@code bulklinks.api.*}). */
    @ConfigMapping(prefix = "bulklinks.api")
    public interface Config {
        /** Largest body of a request other than a bulk submission; a larger one is refused with 413. Default 1M. */
        @WithDefault("1M")
        MemorySize maxBodySize();
    }

    private final long limit;

    BodyLimit(Config config) {
        this.limit = config.maxBodySize().asLongValue();
    }

    @ServerRequestFilter
    public void limit(ContainerRequestContext request, ResourceInfo resource) {
        if (!request.hasEntity() || resource.getResourceMethod().isAnnotationPresent(StreamedBody.class)) {
            return;
        }
        String length = request.getHeaderString("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > limit) {
            throw LimitedInputStream.tooLarge(limit, "send large imports to the bulk endpoints.");
        }
        request.setEntityStream(new LimitedInputStream(request.getEntityStream(), limit,
                "send large imports to the bulk endpoints."));
    }
}
