package dev.bulklinks.dialect;

import dev.bulklinks.api.ApiError;
import dev.bulklinks.api.Envelope;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import java.lang.annotation.Annotation;
import java.util.function.Function;

/**
 * What each dialect's error filter does: an answer that carries the service's error envelope (whatever
 * raised it, {@link dev.bulklinks.api.ErrorMapper} included) leaves in the dialect's shape instead, with the
 * same status and headers.
 */
public final class DialectErrors {

    private DialectErrors() {
    }

    /** Replaces the error envelope {@code response} carries, if any, by {@code shape} of its error. */
    public static void reshape(ContainerResponseContext response, Function<ApiError, Object> shape) {
        if (response.getEntity() instanceof Envelope envelope && !envelope.success()
                && envelope.result() instanceof ApiError error) {
            response.setEntity(shape.apply(error), new Annotation[0], MediaType.APPLICATION_JSON_TYPE);
        }
    }
}
